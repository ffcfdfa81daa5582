import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complexcases.settings.production")

application = get_wsgi_application()

# Import every view now rather than on the first request, then keep what start-up made out of
# the garbage collector's full passes. Without this, about one request in 120 paid some 70 ms
# for a full collection walking ~145,000 long-lived objects (docs/performance.md, "Pages").
import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()

"""The service's URLs plus the floor page the page benchmarks are measured against."""

from django.urls import path

from complexcases.urls import *  # noqa: F403
from complexcases.urls import urlpatterns as service_urlpatterns

from .views import floor

urlpatterns = [path("bench/floor", floor, name="bench-floor"), *service_urlpatterns]

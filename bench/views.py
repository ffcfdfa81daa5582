"""The floor page: what every signed-in page costs before it shows anything of its own."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complexcases.core.access_log import Action, access_log_record


@login_required
@require_GET
def floor(request):
    """Signed in, one access-log row, the base template: the least a person page can do."""
    with transaction.atomic():
        access_log_record(user=request.user, action=Action.CONSULTATION, record_type="bench floor")
    return render(request, "bench/floor.html")

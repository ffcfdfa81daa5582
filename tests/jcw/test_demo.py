"""The demo's synthetic joint case work."""

import pytest
from django.core.management import call_command

from complexcases.organisation.models import User
from jcw.models import JcwContact, JcwEpisode, JcwFeedback

pytestmark = pytest.mark.django_db


def test_the_demo_clinician_has_joint_case_work_at_each_stage_and_loading_again_adds_none(
    settings,
):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    clinician = User.objects.get(email="opd.clinician@example.com")
    assert (clinician.pdu.code, clinician.team.name) == ("NORTHANTS", "OPD pathway")
    episodes = JcwEpisode.objects.filter(clinician=clinician)
    assert sorted(episodes.values_list("status", flat=True)) == ["closed", "open", "open"]
    assert episodes.filter(dilemma="").count() == 1  # waiting for its aim
    assert JcwContact.objects.count() == 5
    assert JcwContact.objects.filter(contact_type="consultation").count() == 1
    assert sorted(JcwFeedback.objects.values_list("stage", flat=True)) == [
        "after_contact",
        "end_of_episode",
    ]

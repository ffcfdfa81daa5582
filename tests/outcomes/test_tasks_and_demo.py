"""The refresh after each import and on demand, and the demo's outcomes history."""

from unittest import mock

import pytest
from django.core.management import call_command

from complexcases.core.models import TaskRun
from complexcases.core.selectors import service_freshness
from complexcases.outcomes.models import OutcomeFigure, OutcomesRefresh
from complexcases.outcomes.tasks import refresh_outcomes
from complexcases.screening.models import Extract

pytestmark = pytest.mark.django_db


def test_a_new_extract_queues_a_refresh_in_its_transaction(django_capture_on_commit_callbacks):
    """Queued through the outbox: a TaskRun written with the extract, handed over on commit."""
    runs = TaskRun.objects.filter(task=refresh_outcomes.name)
    with mock.patch("complexcases.core.outbox.broker_hand_over", return_value=True) as hand_over:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            extract = Extract.objects.create(
                extract_date="2026-09-01", sha256="0" * 64, filename="x.csv", row_count=0
            )
            assert runs.count() == 1  # in the import's transaction, before any commit
        assert hand_over.call_count == 0
        for callback in callbacks:
            callback()
        assert [call.args[0] for call in hand_over.call_args_list] == [refresh_outcomes]
        with django_capture_on_commit_callbacks(execute=True):
            extract.save()  # a change to an extract already imported brings nothing new
        assert runs.count() == 1
        assert hand_over.call_count == 1


def test_the_task_and_the_command_rebuild_the_figures(refreshed, capsys):
    OutcomeFigure.objects.all().delete()
    assert refresh_outcomes.apply().get() == 6
    assert OutcomeFigure.objects.exists()
    call_command("refresh_outcomes")
    assert "Outcomes refreshed: 6 heard cases, latest extract 2026-08-01" in capsys.readouterr().out
    assert service_freshness()["outcomes_refresh_age_seconds"] == pytest.approx(0, abs=5)


def test_the_demo_has_heard_cases_matched_and_unmatched_with_intervals(settings):
    """Sixteen heard over eighteen months (and the panel demo's heard last week); two with no
    match on purpose; enough matched cases for intervals at every region's level; and a
    second load adds nothing."""
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")
    cohort = {
        f.measure: f.heard_count
        for f in OutcomeFigure.objects.filter(area="national", theme=None, horizon=0)
    }
    assert cohort["heard"] == 17
    assert cohort["unmatched_below_threshold"] >= 1
    assert cohort["unmatched_no_one_alike"] >= 1
    assert cohort["matched"] >= 14
    national = OutcomeFigure.objects.filter(area="national", theme=None)
    assert national.filter(horizon=12, measure="listed", matched__gte=5).exists()
    listed = national.get(horizon=3, measure="listed")
    assert listed.lower is not None
    assert listed.difference < 0  # heard people more often stop meeting criteria 7 and 3
    assert OutcomesRefresh.objects.count() == 1

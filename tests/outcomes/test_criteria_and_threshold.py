"""What makes a complex case, counted by hand; the threshold what-if against a direct count."""

import pytest

from complexcases.outcomes.selectors import criteria_page, listed_if, threshold_page
from complexcases.outcomes.selectors.criteria import grouped
from complexcases.reporting.scope import reporting_scope_for, scope_choose
from complexcases.screening.models import Screening
from complexcases.screening.rules import CRITERIA

pytestmark = pytest.mark.django_db


def rows(table) -> dict[str, list[str]]:
    return {row.label: [cell.text for cell in row.cells] for row in table.rows}


def test_listed_people_by_first_listing_and_how_far_they_went(refreshed, programme_manager):
    """Thirteen people met the threshold in the window (not H5, four criteria, nor N1). Since
    first listed: H1-H4 and C4 asked for triage (H6's request came before its first listing),
    H1-H4 were referred and heard."""
    listed = grouped("listed", reporting_scope_for(programme_manager))
    total = [sum(counts.astuple()[i] for counts in listed.values()) for i in range(4)]
    assert total == [13, 5, 4, 4]
    assert listed[(1, 2, 3, 4, 6, 7)].astuple() == (3, 2, 1, 1)  # H2 (heard), C1, C4 (guidance)
    assert listed[(1, 2, 3, 4, 5, 6)].astuple() == (1, 0, 0, 0)  # H6, first listed in March


def test_the_criteria_page_tables(refreshed, programme_manager):
    page = criteria_page(scope=reporting_scope_for(programme_manager))
    assert (page.listed, page.below) == (13, 1)
    tables = {table.slug: table for table in page.tables}
    by_number = rows(tables["number-met"])
    assert by_number["6 of 8"][:2] == ["9", "fewer than 5"]  # H1, H2, H4, H6, C1-C5; 3 asked
    assert by_number["7 of 8"][0] == "fewer than 5"  # H3, C6, C7, C8
    criteria = rows(tables["criteria"])
    assert criteria["1. RoSH is high or very high"][:2] == ["92%", "12"]  # all but C5
    assert criteria["8. Sentence is IPP"][:2] == ["fewer than 5", "fewer than 5"]  # C3, C7
    # Every combination is met by fewer than 5 people: all thirteen are counted together.
    assert list(rows(tables["combinations"])) == [
        "Other combinations (each met by fewer than 5 people)"
    ]
    assert (
        rows(tables["combinations"])["Other combinations (each met by fewer than 5 people)"][0]
        == "13"
    )
    below = rows(tables["below-number-met"])
    # H5, marked on 2 January, then asked for triage, referred and heard: one person.
    assert below == {"4 of 8": ["fewer than 5", *["fewer than 5", "not shown"] * 3]}


def test_the_criteria_of_an_area_are_its_pdus(refreshed, head_of_alpha):
    """Alpha: H1, H3, C1, C3, C4, C7 listed."""
    listed = grouped("listed", reporting_scope_for(head_of_alpha))
    assert sum(counts.people for counts in listed.values()) == 6


@pytest.mark.parametrize("threshold", [4, 5, 6, 7, 8])
def test_threshold_what_if_matches_a_direct_count(refreshed, programme_manager, world, threshold):
    """Every PDU at every threshold, and with each criterion left out, against the screenings."""
    found = listed_if(scope=reporting_scope_for(programme_manager), threshold=threshold)
    latest = Screening.objects.filter(until__isnull=True)
    for pdu in world.pdus.values():
        here = latest.filter(pdu=pdu)
        for t in (4, 5, 6, 7, 8):
            assert found[pdu.pk][f"at_{t}"] == here.filter(criteria_met_count__gte=t).count()
        for criterion in CRITERIA:
            direct = sum(
                1
                for criteria in here.values_list("criteria_met", flat=True)
                if len(set(criteria) - {criterion.number}) >= threshold
            )
            assert found[pdu.pk][f"without_{criterion.number}"] == direct, (
                pdu.code,
                criterion.number,
            )
    assert found[None]["at_6"] == latest.filter(criteria_met_count__gte=6).count() == 11


def test_threshold_what_if_by_hand(refreshed, programme_manager, world):
    """Latest screenings: Alpha H1 (5), H5 (4), C1, C3, C4, C7 (6), N1 (2); Bravo H2, H6, C5 (6),
    C2, C6 (7); Lima H4 (6), C8 (7). H3 has left."""
    found = listed_if(scope=reporting_scope_for(programme_manager), threshold=6)
    alpha, bravo, lima = (found[world.pdus[code].pk] for code in "ABL")
    assert [alpha[f"at_{t}"] for t in (4, 5, 6, 7, 8)] == [6, 5, 4, 0, 0]
    assert [bravo[f"at_{t}"] for t in (4, 5, 6, 7, 8)] == [5, 5, 5, 2, 0]
    assert [lima[f"at_{t}"] for t in (4, 5, 6, 7, 8)] == [2, 2, 2, 1, 0]
    assert bravo["without_8"] == 5  # C2 meets 8 but still has six without it
    assert alpha["without_1"] == 0  # everyone listed in Alpha meets criterion 1 with exactly six


def test_threshold_page_for_a_region_shows_its_pdus_and_a_total(refreshed, regional_head, world):
    page = threshold_page(scope=reporting_scope_for(regional_head))
    table = rows(page.tables[0])
    assert list(table) == ["Alpha", "Bravo", "All PDUs shown"]
    assert table["All PDUs shown"] == ["11", "10", "9", "fewer than 5", "0"]
    assert page.tables[0].headers[3] == "6 or more (now)"


def test_threshold_page_narrowed_to_a_pdu(refreshed, programme_manager, world):
    scope = scope_choose(reporting_scope_for(programme_manager), region_code="LDN", pdu_code="PDUL")
    page = threshold_page(scope=scope, threshold=7)
    assert list(rows(page.tables[1])) == ["Lima"]
    assert rows(page.tables[1])["Lima"][0] == "fewer than 5"  # C8, seven criteria


def test_disabled_pdus_are_left_out_of_the_what_if(refreshed, programme_manager, world):
    from datetime import date

    world.pdus["L"].disabled_on = date(2026, 8, 1)
    world.pdus["L"].save()
    found = listed_if(scope=reporting_scope_for(programme_manager), threshold=6)
    assert world.pdus["L"].pk not in found
    assert Screening.objects.filter(pdu=world.pdus["L"], until__isnull=True).exists()

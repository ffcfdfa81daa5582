"""Small numbers cannot be worked back out of an export: percentages beside or of a hidden
count are hidden too (below PDU level)."""

from complexcases.reporting.figures import COUNT, PERCENT, SUPPRESSED, Figure, Measure, Row


def figure(rows, measures):
    return Figure(slug="f", title="F", description="d", category="C", measures=measures, rows=rows)


def test_a_percentage_beside_a_hidden_count_is_hidden():
    f = figure(
        [Row("Criterion 8", (3, 8.0)), Row("Criterion 1", (30, 75.0))],
        [Measure("People"), Measure("Percent", PERCENT)],
    )
    cells = {(row, measure): text for row, measure, text in f.export_rows(suppress=True)}
    assert cells[("Criterion 8", "People")] == SUPPRESSED
    assert cells[("Criterion 8", "Percent")] == SUPPRESSED  # 8% of 40 would give 3 back
    assert cells[("Criterion 1", "Percent")] == "75"


def test_a_percentage_of_a_known_base_that_implies_a_small_count_is_hidden():
    f = figure([Row("Done on time", (30.0,), unit=PERCENT, base=10)], [Measure("Number", COUNT)])
    (cell,) = f.export_rows(suppress=True)
    assert cell[2] == SUPPRESSED  # 30% of 10 is 3
    assert (
        figure(
            [Row("Done on time", (60.0,), unit=PERCENT, base=10)], [Measure("Number")]
        ).export_rows(suppress=True)[0][2]
        == "60"
    )


def test_nothing_is_hidden_at_pdu_level_and_above():
    f = figure([Row("Criterion 8", (3, 8.0))], [Measure("People"), Measure("Percent", PERCENT)])
    assert [text for _, _, text in f.export_rows(suppress=False)] == ["3", "8"]

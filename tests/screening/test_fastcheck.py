"""The fast path (PostgreSQL checks a plain file) never accepts what check_extract refuses,
and types every value as check_extract does (ADR 0018)."""

import csv
import hashlib
import io
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from complexcases.core.csvimport import ImportRejected
from complexcases.screening import extract, versions
from complexcases.screening.extract import CHECKED_COLUMNS, EXTRACT_COLUMNS, check_extract
from complexcases.screening.fastcheck import _header, fast_check, plain_csv
from tests.screening.builders import BASE_ROW, SIX_CRITERIA, extract_csv, row

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)
PDUS = {"NORTHANTS", "CAMBS"}


class _Rollback(Exception):
    pass


def slow(data: bytes):
    """check_extract's verdict: (CheckedExtract, typed rows) or None if it refuses the file."""
    rows = []
    try:
        checked = check_extract(data, known_pdu_codes=PDUS, today=TODAY, write_row=rows.append)
    except ImportRejected:
        return None
    return checked, [tuple(r) for r in rows]


def fast(data: bytes):
    """fast_check's verdict and the typed rows its view gives, all rolled back."""
    outcome = None
    try:
        with transaction.atomic():
            checked = fast_check(
                data,
                sha256=hashlib.sha256(data).hexdigest(),
                known_pdu_codes=PDUS,
                today=TODAY,
                table="fastcheck_test",
            )
            if checked is not None:
                # What the import's one pass then asks of the view (services._resolve): every
                # row ok and every value castable.
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        columns = ", ".join(CHECKED_COLUMNS)
                        cursor.execute(f"SELECT {columns}, ok FROM fastcheck_test ORDER BY line")  # noqa: S608
                        rows = [
                            (*r[:-3], "{" + ",".join(map(str, r[-3])) + "}", r[-2], r[-1])
                            for r in cursor
                        ]
                except DatabaseError:
                    rows = None
                if rows is not None and all(r[-1] for r in rows):
                    outcome = checked, [r[:-1] for r in rows]
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def assert_agree(data: bytes) -> bool:
    """Fast accepts ⇒ slow accepts, with the same rows and summary. True if fast accepted."""
    quick = fast(data)
    if quick is None:
        return False
    careful = slow(data)
    assert careful is not None, "the fast path accepted a file check_extract refuses"
    assert quick[0] == careful[0]
    assert quick[1] == careful[1]
    return True


def test_a_plain_clean_file_takes_the_fast_path_and_agrees(pdus):
    rows = [
        row(crn="X000001", **SIX_CRITERIA),
        row(crn="X000002", pp_staff_code="C02P009", pp_name="Okafor, Sam",
            pp_email="Sam.Okafor@example.com", pdu_code="CAMBS", custody_status="Custody",
            expected_release_date="2027-01-31", rosh_level="VERY_HIGH", sentence_type="ipp",
            oasys_drugs_need="y", mappa_level="3", mappa_category="4"),
        row(crn="X000003", surname="O'Brien", forenames="Ann-Marie", rosh_level=""),
    ]  # fmt: skip
    assert assert_agree(extract_csv(rows))


@pytest.mark.parametrize(
    "transform",
    [
        lambda data: data.replace(b"\n", b"\r\n"),  # Windows line endings
        lambda data: b"\xef\xbb\xbf" + data,  # a byte-order mark
        lambda data: data.replace(b'"Hughes, Priya"', b'"Hughes, ""Priya"""'),  # escaped quotes
    ],
)
def test_common_shapes_of_plain_csv_take_the_fast_path(pdus, transform):
    data = extract_csv([row(crn="X000001"), row(crn="X000002")])
    assert assert_agree(transform(data))


@pytest.mark.parametrize(
    "data",
    [
        # A quote inside an unquoted field: literal to Python, a quote to PostgreSQL.
        extract_csv([row()]).replace(b"Example", b'Ex"amp"le'),
        extract_csv([row()]) + b"\\.\n",  # PostgreSQL's end-of-data mark
        extract_csv([row(), row(crn="X000002")]).replace(b"\n", b"\n\n", 1),  # a blank line
        extract_csv([row(surname=" Example")]),  # stripped by Python
        extract_csv([row(oasys_4_8_learning_difficulties="02")]),  # Python reads 2
        extract_csv([row(crn="ı000001")]),  # Python's upper() makes it I000001
        extract_csv([row(surname="Multi\nline")]),  # line numbers would no longer match
        extract_csv([row()]).replace(b"\n", b"\r\n", 1),  # mixed line endings
    ],
)
def test_anything_in_doubt_goes_the_slow_way(pdus, data):
    assert fast(data) is None


def test_problems_are_only_ever_check_extracts(pdus):
    from complexcases.screening.services import extract_import

    with pytest.raises(ImportRejected) as rejected:
        extract_import(
            source=extract_csv([row(), row(mappa_level="9")]), filename="x.csv", imported_by=None
        )
    assert [(p.line, p.column, p.message) for p in rejected.value.problems] == [
        (3, "crn", "This CRN is also on line 2; each person must appear once"),
        (3, "mappa_level", "Must be 1, 2, 3 or empty"),
    ]


def test_plain_csv_knows_a_quoted_field_from_a_stray_quote():
    assert plain_csv(b'a,"b, c",d\n"e",f,"g"\n')
    assert plain_csv(b'a,"b ""q"" c"\r\nd,e\r\n')
    assert not plain_csv(b'a,b"c,d\n')
    assert not plain_csv(b'a, "b",c\n')
    assert not plain_csv(b'a,"b" ,c\n')
    assert not plain_csv(b'a,"b\nc",d\n')


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
# Values at the edges of what each column allows, in many spellings, plus anything at all.
cell = st.one_of(
    text,
    st.sampled_from(["", " ", "Y", "y", "N", "n", "yes", "0", "1", "2", "3", "4", "02", "²", "IPP",
                     "ipp", "high", "HIGH", "very_high", "severe", "custody", "Community", "prison",
                     "2026-02-30", "2026-10-01", "1899-12-31", "2099-01-01", "2026-10-01 ",
                     "X123456", "x000009", "X12345", "ı000001", "a@b.co", "A@B.CO", "not-an-email",
                     "NORTHANTS", "CAMBS", "N01P001", "N01P002", "Hughes, Priya", "O\u2019Brien",
                     'Say "hi"', "\u00a0Sam", "=1+1", "a\tb"]),
)  # fmt: skip


FLAG = st.sampled_from(["Y", "y", "N", "n"])
# Good values in every spelling the extract allows, so that many files are clean.
GOOD = {
    "surname": st.text(min_size=1, max_size=8).map(str.strip).filter(bool),
    "forenames": st.sampled_from(["Sam", "Ann-Marie", "Zoë", "李"]),
    "date_of_birth": st.dates(date(1900, 1, 1), date(2026, 11, 21)).map(date.isoformat),
    # Now and then a PDU the service does not know (the import must refuse it, not crash).
    "pdu_code": st.sampled_from(["NORTHANTS", "CAMBS", "NORTHANTS", "CAMBS", "ESSEXN"]),
    "custody_status": st.sampled_from(["community", "custody", "Custody", "COMMUNITY"]),
    "expected_release_date": st.sampled_from(["", "2027-01-31", "2020-02-29"]),
    "rosh_level": st.sampled_from(["", "low", "Medium", "HIGH", "very_high"]),
    "oasys_4_8_learning_difficulties": st.sampled_from(["0", "1", "2"]),
    "mappa_level": st.sampled_from(["", "1", "2", "3"]),
    "mappa_category": st.sampled_from(["", "1", "2", "3", "4"]),
    "sentence_type": st.sampled_from(["IPP", "ipp", "SDS", "Life", "EDS"]),
    **{column: FLAG for column in EXTRACT_COLUMNS if column.startswith(("reg_", "oasys_1", "rosh_r3", "opd_", "oasys_a", "oasys_d"))},
}  # fmt: skip


@st.composite
def extracts(draw):
    count = draw(st.integers(min_value=1, max_value=4))
    rows = []
    for i in range(count):
        good = draw(st.sets(st.sampled_from(sorted(GOOD)), max_size=8))
        changes = {column: draw(GOOD[column]) for column in good}
        # Now and then, anything at all in a column.
        changes.update(draw(st.dictionaries(st.sampled_from(EXTRACT_COLUMNS), cell, max_size=1)))
        rows.append({**BASE_ROW, "crn": f"X00000{i}", **changes})
    out = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.DictWriter(out, fieldnames=EXTRACT_COLUMNS, quoting=quoting, lineterminator=ending)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@SETTINGS
@given(data=extracts())
@example(data=extract_csv([row(crn="X000001", **SIX_CRITERIA), row(crn="X000002")]))
def test_the_fast_path_never_accepts_or_types_differently_from_check_extract(pdus, data):
    assert_agree(data)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_after_a_good_header_agree(pdus, data):
    assert_agree(extract_csv([row()]) + data)


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        # Passes the fast path's first look; the cast in the landing's pass refuses it.
        ({"date_of_birth": "1990-02-30"}, ("date_of_birth", "The date of birth must be a real date written as YYYY-MM-DD")),
        # A row the landing's pass finds not ok.
        ({"custody_status": "prison"}, ("custody_status", "Must be community or custody")),
        ({"sentence_type": "x" * 21}, ("sentence_type", "The sentence type must be 20 characters or fewer")),
    ],
)  # fmt: skip
def test_a_problem_found_in_the_landing_is_reported_by_check_extract_and_nothing_lands(
    pdus, bad, problem, caplog
):
    from complexcases.core.models import AccessLogEntry
    from complexcases.people.models import Person
    from complexcases.screening.models import Extract
    from complexcases.screening.services import extract_import

    data = extract_csv([row(crn="X000001"), row(crn="X000002", **bad)])
    assert fast(data) is None  # what the landing would conclude
    with pytest.raises(ImportRejected) as rejected:
        extract_import(source=data, filename="x.csv", imported_by=None)
    assert [(p.line, p.column, p.message) for p in rejected.value.problems] == [(3, *problem)]
    assert "the fast path was in doubt" in caplog.text
    assert not Person.objects.exists()
    assert not Extract.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_a_practitioner_problem_is_the_same_whichever_path_finds_it(pdus):
    from complexcases.screening.services import extract_import
    from tests.factories import UserFactory

    UserFactory(staff_code="OTHER1", email="priya.hughes@example.com")
    reports = []
    for data in (extract_csv([row()]), extract_csv([row(opd_screened_in=" N")])):
        assert (fast(data) is not None) == (data == extract_csv([row()]))
        with pytest.raises(ImportRejected) as rejected:
            extract_import(source=data, filename="x.csv", imported_by=None)
        reports.append([(p.line, p.column, p.message) for p in rejected.value.problems])
    assert (
        reports[0]
        == reports[1]
        == [(2, "pp_email", "This email belongs to staff code OTHER1 in the service")]
    )


def test_versions_compare_every_value_the_extract_brings():
    """A source column the extract reads but versions did not compare would be lost on import."""
    assert sorted(versions.SOURCE_VALUE_COLUMNS) == sorted(extract.SOURCE_VALUE_COLUMNS)


# The bytes a CSV parser treats specially, so that generated files hit its corners often.
CSV_BYTES = st.lists(
    st.sampled_from([b"\r", b"\n", b"\r\n", b'"', b",", b"\x00", b"\\.", b"a", b" ", b"\xef\xbb\xbf", b"\xff", b"\xc3\xa9"]),
    max_size=40,
).map(b"".join)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(
    data=st.one_of(st.binary(max_size=200), CSV_BYTES, CSV_BYTES.map(extract_csv([row()]).__add__))
)
@example(data=b"\r\x00")  # a lone carriage return once crashed the header's reading
def test_reading_a_files_header_and_shape_never_raises(data):
    header = _header(data)
    assert header is None or set(EXTRACT_COLUMNS) <= set(header)
    assert plain_csv(data) in (True, False)


@SETTINGS
@given(data=st.one_of(CSV_BYTES, CSV_BYTES.map(extract_csv([row()]).__add__)))
@example(data=b"\r\x00")
def test_csv_corner_cases_agree_or_take_the_slow_path(pdus, data):
    assert_agree(data)

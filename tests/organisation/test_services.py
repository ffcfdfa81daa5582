"""Importing the organisation and creating staff."""

import pytest
from django.core.management import CommandError, call_command

from complexcases.core.csvimport import ImportRejected
from complexcases.organisation.models import ProbationDeliveryUnit, Region, User
from complexcases.organisation.roles import Role
from complexcases.organisation.services import organisation_import, staff_create

pytestmark = pytest.mark.django_db

HEADER = "region_code,region_name,pdu_code,pdu_name\n"
GOOD = HEADER + (
    "EOE,East of England,NORTHANTS,Northamptonshire\n"
    "EOE,East of England,CAMBS,Cambridgeshire and Peterborough\n"
    "LDN,London,LDNC,London Central\n"
)


def test_import_creates_regions_and_pdus():
    result = organisation_import(source=GOOD.encode())
    assert (result.regions_created, result.pdus_created) == (2, 3)
    assert sorted(
        ProbationDeliveryUnit.objects.filter(region__code="EOE").values_list("code", flat=True)
    ) == [
        "CAMBS",
        "NORTHANTS",
    ]


def test_importing_the_same_file_again_changes_nothing():
    organisation_import(source=GOOD.encode())
    result = organisation_import(source=GOOD.encode())
    assert not result.changed
    assert Region.objects.count() == 2
    assert ProbationDeliveryUnit.objects.count() == 3


def test_a_later_file_renames_and_moves_pdus():
    organisation_import(source=GOOD.encode())
    result = organisation_import(source=(HEADER + "LDN,London,CAMBS,Cambridgeshire\n").encode())
    assert (result.pdus_updated, result.pdus_created) == (1, 0)
    cambs = ProbationDeliveryUnit.objects.get(code="CAMBS")
    assert (cambs.name, cambs.region.code) == ("Cambridgeshire", "LDN")


def test_columns_may_come_in_any_order_with_extras_and_a_bom():
    text = "\ufeffpdu_name,notes,pdu_code,region_name,region_code\nEssex North,x,ESSEXN,East of England,EOE\n"
    organisation_import(source=text.encode())
    assert ProbationDeliveryUnit.objects.get(code="ESSEXN").region.code == "EOE"


def test_every_bad_row_is_reported_and_nothing_is_written():
    text = HEADER + (
        "EOE,East of England,NORTHANTS,Northamptonshire\n"
        "EOE,East Anglia,CAMBS,Cambridgeshire\n"
        ",London,LDN-1,\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        organisation_import(source=text.encode())
    reasons = [problem.as_text() for problem in rejected.value.problems]
    assert reasons == [
        'Line 3, column region_name ("East Anglia"): Region EOE is named differently on line 2',
        "Line 4, column region_code: Enter a value",
        "Line 4, column pdu_name: Enter a value",
        'Line 4, column pdu_code ("LDN-1"): Codes must be 2 to 20 capital letters, digits or underscores',
    ]
    assert rejected.value.report().startswith(
        "The file was not imported. Nothing was saved. 4 problems"
    )
    assert not Region.objects.exists()
    assert not ProbationDeliveryUnit.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "File: The file is empty"),
        (
            b"region_code,pdu_code\nEOE,X\n",
            "Line 1, column region_name: This column is missing from the header row",
        ),
        (HEADER.encode(), "File: The file has no rows to import"),
        (
            "region_code,region_name,pdu_code,pdu_name\nEOE,Est\xe9,X1,Y\n".encode("latin-1"),
            "File: The file must be saved as UTF-8 CSV",
        ),
        ((HEADER + "EOE,East,NN\n").encode(), "Line 2: This row has 3 values but the header has 4"),
    ],
)
def test_a_malformed_file_is_rejected_with_a_reason(content, reason):
    with pytest.raises(ImportRejected) as rejected:
        organisation_import(source=content)
    assert reason in [problem.as_text() for problem in rejected.value.problems]


def test_the_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "organisation.csv"
    path.write_text(GOOD)
    call_command("import_organisation", str(path))
    assert "PDUs: 3 added, 0 updated" in capsys.readouterr().out


def test_the_command_fails_with_the_same_report(tmp_path):
    path = tmp_path / "organisation.csv"
    path.write_text(HEADER + "EOE,East of England,,Northamptonshire\n")
    with pytest.raises(CommandError, match="Line 2, column pdu_code: Enter a value"):
        call_command("import_organisation", str(path))
    assert not Region.objects.exists()


def test_the_command_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No file at"):
        call_command("import_organisation", str(tmp_path / "missing.csv"))


def test_staff_without_a_password_cannot_sign_in_until_enabled():
    user = staff_create(
        email="New.Starter@Example.com",
        first_name="New",
        last_name="Starter",
        roles=[Role.PROBATION_PRACTITIONER],
    )
    assert user.email == "new.starter@example.com"
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.role_names == [Role.PROBATION_PRACTITIONER]
    assert not user.is_staff


def test_only_system_administrators_reach_the_django_admin():
    admin = staff_create(
        email="a@example.com",
        first_name="A",
        last_name="B",
        roles=[Role.SYSTEM_ADMINISTRATOR],
        password="x" * 16,
    )
    assert admin.is_staff
    assert admin.is_active


def test_email_addresses_are_unique_whatever_their_case():
    staff_create(email="dup@example.com", first_name="A", last_name="B", roles=[])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        staff_create(email="DUP@example.com", first_name="C", last_name="D", roles=[])
    assert User.objects.count() == 1

"""Synthetic people and monthly extracts for the demo. Every name, CRN and date is made up.

The extracts go through the real import and the real monthly list, so the demo shows
what the service does with real files: new, listed again and no longer listed cases,
practitioners created from the extract, and a person's history across months.
"""

import csv
import io
import random
from datetime import date, timedelta

from django.utils import timezone

from complexcases.organisation.models import ProbationDeliveryUnit, User

from .extract import EXTRACT_COLUMNS, FLAG_COLUMNS
from .models import Extract, MonthlyListEntry, ReflectiveConversation
from .services import (
    extract_import,
    monthly_list_generate,
    pathway_override_record,
    reflective_conversation_record,
)

FORENAMES = [
    "Aaron", "Abdul", "Adam", "Aiden", "Alan", "Alfie", "Amir", "Andre", "Ashley", "Ben", "Billy", "Bradley",
    "Callum", "Carl", "Chloe", "Connor", "Craig", "Dale", "Daniel", "Dean", "Declan", "Demi", "Dylan", "Ellis",
    "Emma", "Ethan", "Gemma", "Hassan", "Imran", "Jack", "Jade", "Jamal", "Jason", "Jordan", "Kai", "Kayleigh",
    "Kieran", "Lee", "Leon", "Lewis", "Liam", "Louise", "Luke", "Marcus", "Mason", "Nathan", "Nicole", "Omar",
    "Owen", "Paige", "Reece", "Rhys", "Ricky", "Ryan", "Sam", "Scott", "Shane", "Stacey", "Tariq", "Tyler",
]  # fmt: skip
SURNAMES = [
    "Abbott", "Ahmed", "Akhtar", "Allen", "Barker", "Barnes", "Begum", "Bennett", "Bibi", "Brooks", "Carter",
    "Clarke", "Cole", "Cooper", "Davies", "Dixon", "Doyle", "Evans", "Fisher", "Foster", "Gill", "Gray", "Hall",
    "Harper", "Hill", "Holmes", "Hussain", "Jackson", "Jones", "Kaur", "Kelly", "Khan", "Lawrence", "Lewis",
    "Marsh", "Mason", "Mills", "Moore", "Murphy", "Nowak", "Osei", "Owen", "Palmer", "Patel", "Price", "Quinn",
    "Reid", "Riley", "Shaw", "Singh", "Stone", "Taylor", "Turner", "Walsh", "Ward", "Webb", "Wells", "Wood",
]  # fmt: skip
SENTENCES = ["SDS", "SDS", "SDS", "EDS", "CO", "SSO", "Life", "IPP"]
PEOPLE_PER_PDU = 80
PRACTITIONERS_PER_PDU = 4
MONTHS = 3


def _months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = [first]
    for _ in range(count - 1):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def _person_profile(rng: random.Random, complex_case: bool) -> dict:
    """Source values: complex cases are likely to meet most criteria, others a few."""
    p = 0.8 if complex_case else 0.12
    values = {column: "Y" if rng.random() < p else "N" for column in FLAG_COLUMNS}
    values["rosh_level"] = rng.choice(
        ["high", "very_high", "high"] if complex_case else ["low", "medium", "medium", ""]
    )
    values["oasys_4_8_learning_difficulties"] = str(
        rng.choice([1, 2, 0] if complex_case else [0, 0, 0, 1])
    )
    values["mappa_level"] = rng.choice(["2", "3", "1"] if complex_case else ["", "", "1"])
    values["mappa_category"] = rng.choice(["1", "2", "3"]) if values["mappa_level"] else ""
    values["sentence_type"] = rng.choice(
        ["IPP", "EDS", "Life", "SDS"] if complex_case else SENTENCES[:-1]
    )
    return values


def _drift(rng: random.Random, values: dict) -> dict:
    """A month later: a few indicators change, so people join and leave the list."""
    changed = dict(values)
    for column in rng.sample(FLAG_COLUMNS, 2):
        if rng.random() < 0.5:
            changed[column] = "N" if changed[column] == "Y" else "Y"
    return changed


def demo_extract_csv(*, extract_date: date, people: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXTRACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for person in people:
        writer.writerow({**person, "extract_date": extract_date.isoformat()})
    return out.getvalue().encode()


def demo_people(rng: random.Random) -> list[dict]:
    people = []
    number = 200000
    for pdu in ProbationDeliveryUnit.objects.filter(region__code="EOE").order_by("code"):
        practitioners = [
            (f"{pdu.code}{n:02d}", f"{rng.choice(SURNAMES)}, {rng.choice(FORENAMES)}")
            for n in range(1, 5)
        ]
        for index in range(PEOPLE_PER_PDU):
            number += 1
            complex_case = index % 5 == 0
            staff_code, staff_name = practitioners[index % PRACTITIONERS_PER_PDU]
            if pdu.code == "NORTHANTS" and index % 4 == 0:
                staff_code, staff_name = (
                    "N01P001",
                    "Hughes, Priya",
                )  # the demo practitioner's caseload
            custody = "custody" if rng.random() < 0.2 else "community"
            people.append(
                {
                    "crn": f"{chr(ord('A') + number % 26)}{number:06d}",
                    "surname": rng.choice(SURNAMES),
                    "forenames": rng.choice(FORENAMES),
                    "date_of_birth": date(
                        1960 + rng.randrange(45), rng.randrange(1, 13), rng.randrange(1, 28)
                    ).isoformat(),
                    "pdu_code": pdu.code,
                    "pp_staff_code": staff_code,
                    "pp_name": staff_name,
                    "pp_email": "practitioner@example.com"
                    if staff_code == "N01P001"
                    else f"{staff_code.lower()}@example.com",
                    "custody_status": custody,
                    "expected_release_date": (
                        date(2026, 1, 1) + timedelta(days=rng.randrange(300, 700))
                    ).isoformat()
                    if custody == "custody"
                    else "",
                    **_person_profile(rng, complex_case),
                }
            )
    return people


def demo_screening_load() -> dict:
    """Import three months of synthetic extracts and generate their lists; safe to repeat."""
    rng = random.Random(20261122)
    people = demo_people(rng)
    today = timezone.localdate()
    imported = 0
    for month in _months_back(today, MONTHS):
        if Extract.objects.filter(extract_date=month).exists():
            monthly_list_generate(month=month)
            people = [{**person, **_drift(rng, person)} for person in people]
            continue
        result = extract_import(
            source=demo_extract_csv(extract_date=month, people=people),
            filename=f"demo-extract-{month:%Y-%m}.csv",
            imported_by=None,
        )
        imported += 0 if result.unchanged else 1
        monthly_list_generate(month=month)
        people = [{**person, **_drift(rng, person)} for person in people]
    _demo_conversations(today)
    return {"extracts_imported": imported, "people": len(people)}


def _demo_conversations(today: date) -> None:
    """A few recorded conversations and one override, so those screens show something."""
    practitioner = User.objects.filter(email="practitioner@example.com").first()
    spo = User.objects.filter(email="spo@example.com").first()
    if practitioner is None or spo is None:
        return
    entries = (
        MonthlyListEntry.objects.filter(person__practitioner=practitioner)
        .exclude(status=MonthlyListEntry.Status.NO_LONGER_LISTED)
        .filter(reflective_conversation__isnull=True)
        .select_related("monthly_list")
        .order_by("monthly_list__month", "person__crn")
    )
    if ReflectiveConversation.objects.filter(recorded_by=practitioner).exists():
        return
    for index, entry in enumerate(entries[:4]):
        reflective_conversation_record(
            entry=entry,
            held_on=min(entry.monthly_list.month + timedelta(days=7), today),
            spo=spo,
            notes="Discussed current risks, engagement and what has been tried. (Synthetic demo notes.)",
            outcome=ReflectiveConversation.Outcome.WILL_REQUEST_TRIAGE
            if index % 2
            else ReflectiveConversation.Outcome.NO_FURTHER_SUPPORT,
            recorded_by=practitioner,
        )
    below = practitioner.caseload.exclude(list_entries__isnull=False).order_by("crn").first()
    if below is not None:
        pathway_override_record(
            person=below,
            reason="Gender identity and housing are making this case stuck, though it meets fewer criteria. (Demo.)",
            marked_by=practitioner,
        )

"""People on probation and twelve monthly extracts of their criteria values, by COPY.

The mix follows issue #10: about 15% at ROSH high or very high, OPD screened in about
15%, MAPPA level 2 or 3 a few percent, IPP about 1%. A hidden "complex" tier (8% of
people) makes the criteria cluster as they do in life, so several thousand people meet
six or more. Each month a few people's values change and a few move PDU, so the lists
have new, listed-again and no-longer-listed cases.

Also writes the next month's extract as a CSV file for the import benchmark: the same
people a month later (a few left, a few new, a few new practitioners).
"""

import csv
import hashlib
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from complexcases.screening.extract import EXTRACT_COLUMNS
from complexcases.screening.rules import RULE_VERSION, criteria_met
from complexcases.screening.services import SCREENING_VALUE_COLUMNS

from . import Context, copy_rows
from .names import FORENAMES, SURNAMES

COMPLEX_SHARE = 0.08
# (complex tier, everyone else): chance of each criterion group being present.
CHANCE = {
    "rosh": (0.80, 0.093),
    "mental_health": (0.90, 0.40),
    "self_harm": (0.75, 0.25),
    "learning": (0.60, 0.20),
    "mappa": (0.25, 0.012),
    "opd": (0.85, 0.089),
    "substances": (0.90, 0.55),
    "ipp": (0.06, 0.0056),
}
DRIFT_SHARE = 0.04  # people whose values change in a month
MOVE_SHARE = 0.002  # people who move PDU in a month
MENTAL_HEALTH = SCREENING_VALUE_COLUMNS[1:5]
SELF_HARM = SCREENING_VALUE_COLUMNS[5:8]
SENTENCES = ("SDS", "SDS", "SDS", "EDS", "CO", "SSO", "Life")
PERSON_COLUMNS = (
    "id", "crn", "surname", "forenames", "date_of_birth", "pdu_id", "practitioner_id", "custody_status",
    "expected_release_date", "pom_name", "pom_contact", "as_at", "created_at", "updated_at",
)  # fmt: skip
SCREENING_COLUMNS = (
    "person_id", "extract_id", "as_at", "pdu_id", "rule_version", *SCREENING_VALUE_COLUMNS,
    "criteria_met", "criteria_met_count", "until",
)  # fmt: skip


def _flags(rng, columns, present: bool) -> dict:
    if not present:
        return dict.fromkeys(columns, False)
    chosen = set(rng.sample(columns, rng.randint(1, len(columns))))
    return {column: column in chosen for column in columns}


def draw(rng, group: str, tier: int) -> dict:
    """Source values for one criterion group (tier 0 = complex, 1 = everyone else)."""
    present = rng.random() < CHANCE[group][tier]
    if group == "rosh":
        if present:
            return {"rosh_level": "very_high" if rng.random() < 0.25 else "high"}
        return {"rosh_level": rng.choice(("low", "medium", "medium", ""))}
    if group == "mental_health":
        return _flags(rng, MENTAL_HEALTH, present)
    if group == "self_harm":
        return _flags(rng, SELF_HARM, present)
    if group == "learning":
        return {"oasys_4_8_learning_difficulties": rng.choice((1, 2)) if present else 0}
    if group == "mappa":
        level = rng.choice((2, 3)) if present else (1 if rng.random() < 0.1 else None)
        return {"mappa_level": level, "mappa_category": rng.randint(1, 4) if level else None}
    if group == "opd":
        return {"opd_screened_in": present}
    if group == "substances":
        return _flags(rng, ("oasys_alcohol_need", "oasys_drugs_need"), present)
    return {"sentence_type": "IPP" if present else rng.choice(SENTENCES)}


def profile(rng, tier: int) -> dict:
    values = {}
    for group in CHANCE:
        values.update(draw(rng, group, tier))
    return values


def crn_for(number: int) -> str:
    return f"{chr(ord('A') + number % 26)}{number:06d}"


class People:
    """Everyone's current details, kept as parallel lists to stay small at 250,000."""

    def __init__(self, context: Context):
        self.context = context
        rng = context.rng
        practitioners = context.ids["practitioners"]
        pdu_ids = [pdu_id for pdu_id, _ in context.ids["pdus"]]
        self.rows = []
        for number in range(1, context.scale.people + 1):
            self.rows.append(self.new_person(number, rng.choice(pdu_ids), practitioners))

    def new_person(self, number: int, pdu_id: int, practitioners) -> dict:
        rng = self.context.rng
        tier = 0 if rng.random() < COMPLEX_SHARE else 1
        custody = rng.random() < 0.2
        return {
            "id": number,
            "crn": crn_for(number),
            "surname": rng.choice(SURNAMES),
            "forenames": rng.choice(FORENAMES),
            "date_of_birth": date(1950 + rng.randrange(55), rng.randrange(1, 13), rng.randrange(1, 29)),
            "pdu_id": pdu_id,
            "practitioner": rng.choice(practitioners[pdu_id]),
            "custody_status": "custody" if custody else "community",
            "expected_release_date": timezone.localdate() + timedelta(days=rng.randrange(30, 900)) if custody else None,
            "tier": tier,
            "values": profile(rng, tier),
        }  # fmt: skip

    def drift(self) -> None:
        """A month passes: some values change, a few people move PDU."""
        rng, practitioners = self.context.rng, self.context.ids["practitioners"]
        pdu_ids = [pdu_id for pdu_id, _ in self.context.ids["pdus"]]
        for person in rng.sample(self.rows, int(len(self.rows) * DRIFT_SHARE)):
            person["values"] = {
                **person["values"],
                **draw(rng, rng.choice(tuple(CHANCE)), person["tier"]),
            }
        for person in rng.sample(self.rows, max(1, int(len(self.rows) * MOVE_SHARE))):
            person["pdu_id"] = rng.choice(pdu_ids)
            person["practitioner"] = rng.choice(practitioners[person["pdu_id"]])


def generate(context: Context) -> None:
    people = People(context)
    now = timezone.now()
    pdu_codes = dict(context.ids["pdus"])
    met_cache: dict[tuple, tuple[str, int]] = {}
    listed = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        last = context.months[-1]
        copy_rows(
            raw,
            "people_person",
            PERSON_COLUMNS,
            (
                (p["id"], p["crn"], p["surname"], p["forenames"], p["date_of_birth"], p["pdu_id"],
                 p["practitioner"][0], p["custody_status"], p["expected_release_date"], "", "", last, now, now)
                for p in people.rows
            ),
        )  # fmt: skip
        copy_rows(
            raw,
            "screening_extract",
            ("id", "extract_date", "sha256", "filename", "row_count", "imported_at"),
            (
                (n, month, hashlib.sha256(f"bench {month}".encode()).hexdigest(),
                 f"bench-extract-{month:%Y-%m}.csv", len(people.rows), now)
                for n, month in enumerate(context.months, start=1)
            ),
        )  # fmt: skip
        # Screenings are versions (ADR 0018): a row when a person's values or PDU change,
        # closed (`until`) by the extract that changed them.
        versions: list[list] = []  # [key, row, until]
        current: dict[int, int] = {}  # person id → index in versions
        for extract_id, month in enumerate(context.months, start=1):
            if extract_id > 1:
                people.drift()
            for person in people.rows:
                values = tuple(person["values"][c] for c in SCREENING_VALUE_COLUMNS)
                met = met_cache.get(values)
                if met is None:
                    numbers = criteria_met(person["values"])
                    met = met_cache[values] = (
                        "{" + ",".join(map(str, numbers)) + "}",
                        len(numbers),
                    )
                if month == last and met[1] >= 6:
                    listed += 1
                key = (person["pdu_id"], values)
                index = current.get(person["id"])
                if index is not None:
                    if versions[index][0] == key:
                        continue
                    versions[index][2] = month
                current[person["id"]] = len(versions)
                versions.append(
                    [
                        key,
                        (
                            person["id"],
                            extract_id,
                            month,
                            person["pdu_id"],
                            RULE_VERSION,
                            *values,
                            *met,
                        ),
                        None,
                    ]
                )
        copy_rows(
            raw,
            "screening_screening",
            SCREENING_COLUMNS,
            ((*row, until) for _, row, until in versions),
        )
        # People moved PDU over the year: their current PDU and practitioner.
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_moves (id bigint, pdu_id bigint, practitioner_id bigint)"
        )
        copy_rows(
            raw,
            "bench_moves",
            ("id", "pdu_id", "practitioner_id"),
            ((p["id"], p["pdu_id"], p["practitioner"][0]) for p in people.rows),
        )
        cursor.execute(
            "UPDATE people_person p SET pdu_id = m.pdu_id, practitioner_id = m.practitioner_id"
            " FROM bench_moves m WHERE m.id = p.id AND (p.pdu_id, p.practitioner_id) <> (m.pdu_id, m.practitioner_id)"
        )
        cursor.execute("DROP TABLE bench_moves")
        # The "created" record-history row an import writes for each new person.
        cursor.execute(
            """
            INSERT INTO people_historicalperson (id, crn, surname, forenames, date_of_birth, custody_status,
                expected_release_date, pom_name, pom_contact, as_at, created_at, pdu_id, practitioner_id,
                history_date, history_change_reason, history_type)
            SELECT id, crn, surname, forenames, date_of_birth, custody_status, expected_release_date,
                pom_name, pom_contact, %s, created_at, pdu_id, practitioner_id, now(), %s, '+'
            FROM people_person
            """,
            [context.months[0], f"Monthly extract as at {context.months[0].isoformat()}"],
        )
        for table in ("people_person", "screening_extract"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    _write_next_extract(context, people, pdu_codes)
    context.counts.update(
        people=len(people.rows),
        extracts=len(context.months),
        screenings=len(versions),
        meeting_six_or_more_latest=listed,
    )


def _write_next_extract(context: Context, people: People, pdu_codes: dict) -> None:
    """Next month's extract: 0.4% left, as many new, 1% changed details, a few new practitioners."""
    rng = context.rng
    people.drift()
    rows = list(people.rows)
    leaving = set(rng.sample(range(len(rows)), max(1, len(rows) // 250)))
    rows = [person for index, person in enumerate(rows) if index not in leaving]
    first_new = len(people.rows) + 1
    practitioners = context.ids["practitioners"]
    for number in range(first_new, first_new + len(leaving)):
        person = people.new_person(number, rng.choice(list(pdu_codes)), practitioners)
        if number % 50 == 0:  # a practitioner the service has not seen yet
            code = f"{pdu_codes[person['pdu_id']]}N{number % 1000:03d}"
            person["practitioner"] = (
                None,
                code,
                f"{rng.choice(SURNAMES)}, {rng.choice(FORENAMES)}",
                f"{code.lower()}@example.com",
            )
        rows.append(person)
    for person in rng.sample(rows, len(rows) // 100):
        person["surname"] = rng.choice(SURNAMES)
    path = context.data_dir / f"extract-{context.next_month:%Y-%m}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EXTRACT_COLUMNS)
        for p in rows:
            values = p["values"]
            _, staff_code, staff_name, staff_email = p["practitioner"]
            writer.writerow(
                [
                    context.next_month.isoformat(), p["crn"], p["surname"], p["forenames"], p["date_of_birth"].isoformat(),
                    pdu_codes[p["pdu_id"]], staff_code, staff_name, staff_email, p["custody_status"],
                    p["expected_release_date"].isoformat() if p["expected_release_date"] else "",
                    values["rosh_level"],
                    *("Y" if values[c] else "N" for c in SCREENING_VALUE_COLUMNS[1:8]),
                    values["oasys_4_8_learning_difficulties"],
                    values["mappa_level"] or "", values["mappa_category"] or "",
                    *("Y" if values[c] else "N" for c in SCREENING_VALUE_COLUMNS[11:14]),
                    values["sentence_type"],
                ]
            )  # fmt: skip
    context.counts["next_extract_rows"] = len(rows)

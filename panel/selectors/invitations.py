"""Panel reads: who to invite to a case, and why."""

from dataclasses import dataclass

from django.db.models import QuerySet

from complexcases.organisation.models import User
from complexcases.people.models import Person
from complexcases.screening.selectors import latest_screening
from triage.models import TriageBlocker, TriageRecord
from triage.selectors import pom_prompt_needed

from ..models import (
    PanelBooking,
    PanelInvitee,
    PanelMember,
    PanelRole,
)

# Bespoke invitations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    role_code: str
    because: str


def _theme_names(record: TriageRecord | None) -> set[str]:
    if record is None:
        return set()
    blockers = TriageBlocker.objects.filter(record=record).prefetch_related("themes")
    return {theme.name.lower() for blocker in blockers for theme in blocker.themes.all()}


def invitation_suggestions(
    *, person: Person, triage_record: TriageRecord | None
) -> list[Suggestion]:
    """The seats to invite for this case: the core membership, the people holding the case,
    and the expertise its characteristics call for."""
    suggestions = [
        Suggestion(role.code, "Core member")
        for role in PanelRole.objects.filter(core=True, disabled_on__isnull=True)
    ]
    suggestions += [
        Suggestion("practitioner", "Holds the case"),
        Suggestion("spo", "Practitioner's senior probation officer"),
    ]
    screening = latest_screening(person)
    if screening is not None and screening.opd_screened_in:
        suggestions.append(Suggestion("opd_lead", "Screened in to the OPD pathway"))
    themes = _theme_names(record=triage_record)
    care_themes = sorted(t for t in themes if "mental health" in t or "social care" in t)
    if care_themes:
        because = f"Triage theme: {care_themes[0]}"
        suggestions += [
            Suggestion("mental_health", because),
            Suggestion("adult_social_care", because),
        ]
    if pom_prompt_needed(person):
        because = "In custody or due for release within 12 weeks"
        suggestions += [Suggestion("pom", because), Suggestion("prison_representative", because)]
    if any("gender identity" in theme for theme in themes):
        suggestions.append(Suggestion("equalities_manager", "Triage theme: gender identity"))
    return suggestions


@dataclass(frozen=True)
class Seat:
    """Who fills a suggested seat for this case (or no one yet)."""

    role: PanelRole
    because: str
    user: User | None = None
    name: str = ""
    organisation: str = ""
    email: str = ""


def seats_for(
    *, person: Person, triage_record: TriageRecord | None
) -> tuple[list[Seat], list[Seat]]:
    """Resolve suggestions to people: (filled seats, seats no one holds in this region)."""
    roles = {role.code: role for role in PanelRole.objects.filter(disabled_on__isnull=True)}
    region = person.pdu.region
    members = list(
        PanelMember.objects.filter(region=region, disabled_on__isnull=True).select_related(
            "user", "role"
        )
    )
    filled, empty = [], []
    practitioner = person.practitioner
    for suggestion in invitation_suggestions(person=person, triage_record=triage_record):
        role = roles.get(suggestion.role_code)
        if role is None:
            continue
        people: list[Seat] = []
        if role.code == "practitioner" and practitioner.is_active:
            people = [Seat(role, suggestion.because, user=practitioner)]
        elif role.code == "spo" and practitioner.line_manager_id:
            if practitioner.line_manager.is_active:
                people = [Seat(role, suggestion.because, user=practitioner.line_manager)]
        elif role.code == "pom" and "@" in person.pom_contact:
            people = [
                Seat(
                    role,
                    suggestion.because,
                    name=person.pom_name or "POM",
                    email=person.pom_contact,
                )
            ]
        else:
            for member in members:
                if member.role_id != role.pk:
                    continue
                if role.code == "head_of_pdu" and member.pdu_id not in (None, person.pdu_id):
                    continue
                if member.user_id and not member.user.is_active:
                    continue
                people.append(
                    Seat(
                        role,
                        suggestion.because,
                        user=member.user,
                        name=member.name,
                        organisation=member.organisation,
                        email=member.email,
                    )
                )
        (filled.extend(people) if people else empty.append(Seat(role, suggestion.because)))
    return filled, empty


def active_invitees(booking: PanelBooking) -> QuerySet[PanelInvitee]:
    return booking.invitees.filter(removed_at__isnull=True).select_related(
        "user", "role", "deputy_user"
    )


def staff_choices() -> QuerySet[User]:
    """Active staff who can be invited to a panel (imported practitioners start inactive)."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


def action_owner_choices() -> QuerySet[User]:
    """Who can own or chase an action: active staff whose role lets them open actions."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="view_panelaction",
            groups__permissions__content_type__app_label="panel",
        )
        .distinct()
        .order_by("last_name", "first_name")
    )

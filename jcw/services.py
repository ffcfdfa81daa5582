"""Joint case work writes. Each change locks the episode, checks where it stands, and says why not."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.email import email_queue
from complexcases.core.errors import ServiceError, StaleEditError, check_version
from complexcases.organisation.models import User
from complexcases.people.models import Person
from complexcases.screening.selectors import latest_screening

from .models import ActivityType, JcwContact, JcwContactActivity, JcwEpisode, JcwFeedback
from .reference import MAX_PLANNED_SESSIONS, RATING_STATEMENTS, SESSIONS_WITHOUT_REASON
from .selectors import jcw_next_session

Status = JcwEpisode.Status
ContactType = JcwContact.ContactType


class JcwError(ServiceError):
    """The episode is not in a state that allows this; the message says why, for the user."""


class StaleJcwError(JcwError, StaleEditError):
    """Someone else changed the record after this form was opened."""


def _check_version(current, version: str | None, noun: str) -> None:
    check_version(
        current,
        version,
        f"Someone else changed this {noun} while you were working on it. What you entered is "
        "below: check what is saved now before you save again.",
        error=StaleJcwError,
    )


def _link(name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])


def _log(episode: JcwEpisode, user: User, action: str, detail: str, *, record_type="JCW episode"):
    access_log_record(
        user=user,
        action=action,
        record_type=record_type,
        person=episode.person,
        record_id=episode.pk,
        detail=detail,
    )


def _locked(episode: JcwEpisode, *, action: str) -> JcwEpisode:
    current = (
        JcwEpisode.objects.select_for_update()
        .select_related("person", "clinician", "practitioner")
        .get(pk=episode.pk)
    )
    if current.status != Status.OPEN:
        raise JcwError(f"You cannot {action}: this joint case work has ended")
    return current


def _check_sessions(planned_sessions: int, extra_sessions_reason: str) -> None:
    if not 1 <= planned_sessions <= MAX_PLANNED_SESSIONS:
        raise JcwError(f"Plan between 1 and {MAX_PLANNED_SESSIONS} sessions")
    if planned_sessions > SESSIONS_WITHOUT_REASON and not extra_sessions_reason.strip():
        raise JcwError(
            "Joint case work is normally 1 to 6 sessions: say why more sessions are needed"
        )


def _check_aim(dilemma: str, desired_outcome: str) -> None:
    if bool(dilemma.strip()) != bool(desired_outcome.strip()):
        raise JcwError(
            "The aim is both the dilemma to solve and the desired outcome: enter both, or neither for now"
        )


# Episodes -------------------------------------------------------------------------------------


def jcw_episode_open(
    *,
    person: Person,
    clinician: User,
    started_on: date,
    planned_sessions: int,
    dilemma: str = "",
    desired_outcome: str = "",
    extra_sessions_reason: str = "",
    not_screened_in_reason: str = "",
) -> JcwEpisode:
    """Open joint case work for a person; someone not screened in to OPD needs a reason."""
    screening = latest_screening(person)
    screened_in = bool(screening and screening.opd_screened_in)
    if not screened_in and not not_screened_in_reason.strip():
        raise JcwError(
            "This person is not screened in to the OPD pathway: say why they need joint case work"
        )
    _check_aim(dilemma, desired_outcome)
    _check_sessions(planned_sessions, extra_sessions_reason)
    episode = JcwEpisode(
        person=person,
        pdu=person.pdu,
        clinician=clinician,
        practitioner=person.practitioner,
        opd_screened_in=screened_in,
        not_screened_in_reason="" if screened_in else not_screened_in_reason.strip(),
        dilemma=dilemma.strip(),
        desired_outcome=desired_outcome.strip(),
        planned_sessions=planned_sessions,
        extra_sessions_reason=extra_sessions_reason.strip()
        if planned_sessions > SESSIONS_WITHOUT_REASON
        else "",
        started_on=started_on,
    )
    # The one-open-episode rule is left to the database constraint, which also stops two racing clicks.
    episode.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            episode.save()
            _log(episode, clinician, Action.COLLECTION, "Joint case work opened")
            email_queue(
                subject="Complex Cases: joint case work opened",
                body=(
                    "An OPD clinician has opened joint case work with you for a person on your "
                    "caseload.\n\n"
                    f"See the aim and the planned sessions: {_link('jcw:episode', episode.pk)}\n"
                ),
                to=[person.practitioner.email],
                person=person,
                record_type="JCW episode",
                record_id=episode.pk,
                sent_by=clinician,
                template="jcw-opened",
                personalisation={"link": _link("jcw:episode", episode.pk)},
            )
    except IntegrityError:
        raise JcwError("There is already open joint case work for this person") from None
    return episode


def jcw_episode_aim_set(
    *,
    episode: JcwEpisode,
    dilemma: str,
    desired_outcome: str,
    planned_sessions: int,
    extra_sessions_reason: str = "",
    by: User,
    version: str | None = None,
) -> JcwEpisode:
    """Record or change the aim and the planned sessions of open joint case work."""
    if not dilemma.strip() or not desired_outcome.strip():
        raise JcwError("Enter the dilemma to solve and the desired outcome")
    _check_sessions(planned_sessions, extra_sessions_reason)
    with transaction.atomic():
        current = _locked(episode, action="change the aim")
        _check_version(current, version, "joint case work")
        used = current.contacts.filter(contact_type__in=JcwContact.JCW_TYPES).count()
        if planned_sessions < used:
            raise JcwError(
                f"{used} sessions have already been recorded: plan at least {used} sessions"
            )
        had_aim = current.has_aim
        current.dilemma, current.desired_outcome = dilemma.strip(), desired_outcome.strip()
        current.planned_sessions = planned_sessions
        current.extra_sessions_reason = (
            extra_sessions_reason.strip() if planned_sessions > SESSIONS_WITHOUT_REASON else ""
        )
        current.save(
            update_fields=[
                "dilemma",
                "desired_outcome",
                "planned_sessions",
                "extra_sessions_reason",
                "updated_at",
            ]
        )
        _log(current, by, Action.ALTERATION, "Aim changed" if had_aim else "Aim recorded")
    return current


def jcw_episode_close(
    *,
    episode: JcwEpisode,
    outcome: str,
    closing_note: str,
    closed_on: date,
    by: User,
    version: str | None = None,
) -> JcwEpisode:
    """End the joint case work with whether its aim was achieved; ask the practitioner for feedback."""
    if outcome not in JcwEpisode.Outcome.values:
        raise JcwError("Select whether the aim was achieved")
    if not closing_note.strip():
        raise JcwError("Enter a note on how the joint case work ended")
    if closed_on > timezone.localdate():
        raise JcwError("The end date must be today or in the past")
    with transaction.atomic():
        current = _locked(episode, action="end it")
        _check_version(current, version, "joint case work")
        if closed_on < current.started_on:
            raise JcwError("The end date must be on or after the start date")
        current.status, current.outcome = Status.CLOSED, outcome
        current.closing_note, current.closed_on, current.closed_by = (
            closing_note.strip(),
            closed_on,
            by,
        )
        current.save(
            update_fields=[
                "status",
                "outcome",
                "closing_note",
                "closed_on",
                "closed_by",
                "updated_at",
            ]
        )
        _log(
            current,
            by,
            Action.ALTERATION,
            f"Joint case work ended: {current.get_outcome_display()}",
        )
        email_queue(
            subject="Complex Cases: joint case work ended",
            body=(
                "Joint case work you took part in has ended.\n\n"
                "Tell the OPD clinician what worked well and what did not, and rate it: "
                f"{_link('jcw:episode-feedback', current.pk)}\n"
            ),
            to=[current.practitioner.email],
            person=current.person,
            record_type="JCW episode",
            record_id=current.pk,
            sent_by=by,
            template="jcw-ended",
            personalisation={"link": _link("jcw:episode-feedback", current.pk)},
        )
    return current


# Contacts -------------------------------------------------------------------------------------


def jcw_contact_record(
    *,
    episode: JcwEpisode,
    contact_type: str,
    occurred_at: datetime,
    activity_types: Iterable[ActivityType] = (),
    other_activity: str = "",
    clinician_took_part: bool,
    practitioner_took_part: bool,
    others_took_part: str = "",
    notes: str,
    next_steps: str = "",
    extra_session_reason: str = "",
    by: User,
) -> JcwContact:
    """Record a contact; joint case work needs an aim first, and a seventh session needs a reason."""
    activity_types = list(activity_types)
    if contact_type not in ContactType.values:
        raise JcwError("Select the type of contact")
    if occurred_at > timezone.now():
        raise JcwError("The contact must be in the past: record it after it happens")
    if contact_type == ContactType.CONSULTATION and activity_types:
        raise JcwError(
            "A case consultation has no joint case work activities: clear them, or choose "
            "direct or indirect joint case work"
        )
    if contact_type != ContactType.CONSULTATION and not activity_types:
        raise JcwError("Select what the joint case work involved")
    needs_description = any(activity.needs_description for activity in activity_types)
    if needs_description and not other_activity.strip():
        raise JcwError("Describe the other activity")
    if not (clinician_took_part or practitioner_took_part or others_took_part.strip()):
        raise JcwError("Say who took part")
    if not notes.strip():
        raise JcwError("Enter notes on the contact")
    with transaction.atomic():
        current = _locked(episode, action="record a contact")
        if not current.has_aim:
            raise JcwError(
                "Record the aim of the joint case work (the dilemma to solve and the desired "
                "outcome) before the first contact"
            )
        if timezone.localdate(occurred_at) < current.started_on:
            raise JcwError("The contact must be on or after the start of the joint case work")
        session_number = None
        reason = ""
        if contact_type != ContactType.CONSULTATION:
            session_number, needs_reason = jcw_next_session(current)
            # A reason given when more sessions were planned covers the sessions planned.
            reason = extra_session_reason.strip() or (
                current.extra_sessions_reason if session_number > SESSIONS_WITHOUT_REASON else ""
            )
            if needs_reason and not extra_session_reason.strip():
                raise JcwError(
                    f"This is session {session_number}. Joint case work is normally 1 to 6 "
                    "sessions: say why another session is needed"
                )
        contact = JcwContact(
            episode=current,
            contact_type=contact_type,
            occurred_at=occurred_at,
            session_number=session_number,
            extra_session_reason=reason,
            clinician_took_part=clinician_took_part,
            practitioner_took_part=practitioner_took_part,
            others_took_part=others_took_part.strip(),
            other_activity=other_activity.strip() if needs_description else "",
            notes=notes.strip(),
            next_steps=next_steps.strip(),
            recorded_by=by,
        )
        contact.full_clean()
        contact.save()
        bulk_create_with_history(
            [JcwContactActivity(contact=contact, activity_type=a) for a in activity_types],
            JcwContactActivity,
            default_user=by,
        )
        # The episode's version moves too: an aim form opened before this contact is now stale.
        current.save(update_fields=["updated_at"])
        _log(
            current,
            by,
            Action.COLLECTION,
            f"Contact recorded: {contact.get_contact_type_display()}",
            record_type="JCW contact",
        )
        if by.pk == current.clinician_id and current.practitioner.pk != by.pk:
            email_queue(
                subject="Complex Cases: joint case work contact recorded",
                body=(
                    "An OPD clinician has recorded a joint case work contact with you.\n\n"
                    f"Read it, add your view, or give feedback: {_link('jcw:contact', contact.pk)}\n"
                ),
                to=[current.practitioner.email],
                person=current.person,
                record_type="JCW contact",
                record_id=contact.pk,
                sent_by=by,
                template="jcw-contact-recorded",
                personalisation={"link": _link("jcw:contact", contact.pk)},
            )
    return contact


def jcw_contact_practitioner_view_set(
    *, contact: JcwContact, view: str, by: User, version: str | None = None
) -> JcwContact:
    """The practitioner adds (or changes) their view of a contact."""
    if not view.strip():
        raise JcwError("Enter your view of the contact")
    with transaction.atomic():
        current = (
            JcwContact.objects.select_for_update()
            .select_related("episode__person")
            .get(pk=contact.pk)
        )
        _check_version(current, version, "contact")
        had_view = bool(current.practitioner_view)
        current.practitioner_view = view.strip()
        current.practitioner_view_by, current.practitioner_view_at = by, timezone.now()
        current.save(
            update_fields=[
                "practitioner_view",
                "practitioner_view_by",
                "practitioner_view_at",
                "updated_at",
            ]
        )
        _log(
            current.episode,
            by,
            Action.ALTERATION if had_view else Action.COLLECTION,
            "Practitioner's view changed" if had_view else "Practitioner's view added",
            record_type="JCW contact",
        )
    return current


# Feedback -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratings:
    """The five statements on the agreement scale, and confidence before and after (1 to 5)."""

    understanding: int
    practice_impact: int
    apply_skills: int
    important: int
    risk_management: int
    confidence_before: int
    confidence_after: int

    def as_fields(self) -> dict[str, int]:
        return {
            field: getattr(self, field)
            for field in [s[0] for s in RATING_STATEMENTS]
            + ["confidence_before", "confidence_after"]
        }


def jcw_feedback_give(
    *,
    episode: JcwEpisode,
    contact: JcwContact | None = None,
    ratings: Ratings,
    worked_well: str = "",
    did_not_work: str = "",
    by: User,
) -> JcwFeedback:
    """Store the practitioner's feedback and tell the clinician it arrived (a link, nothing else)."""
    if any(not 1 <= value <= 5 for value in ratings.as_fields().values()):
        raise JcwError("Answer every question on the scale of 1 to 5")
    if contact is not None and contact.episode_id != episode.pk:
        raise JcwError("That contact is not part of this joint case work")
    try:
        with transaction.atomic():
            current = (
                JcwEpisode.objects.select_for_update()
                .select_related("person", "clinician")
                .get(pk=episode.pk)
            )
            if contact is None and not current.contacts.exists():
                raise JcwError(
                    "There is nothing to give feedback on yet: no contact has been recorded"
                )
            feedback = JcwFeedback.objects.create(
                episode=current,
                contact=contact,
                stage=JcwFeedback.Stage.AFTER_CONTACT
                if contact is not None
                else JcwFeedback.Stage.END_OF_EPISODE,
                given_by=by,
                worked_well=worked_well.strip(),
                did_not_work=did_not_work.strip(),
                **ratings.as_fields(),
            )
            _log(
                current,
                by,
                Action.COLLECTION,
                f"Feedback given: {feedback.get_stage_display().lower()}",
                record_type="JCW feedback",
            )
            email_queue(
                subject="Complex Cases: feedback on joint case work",
                body=(
                    "A practitioner has given feedback on joint case work with you.\n\n"
                    f"Read it: {_link('jcw:episode', current.pk)}\n"
                ),
                to=[current.clinician.email],
                person=current.person,
                record_type="JCW feedback",
                record_id=feedback.pk,
                sent_by=by,
                template="jcw-feedback-given",
                personalisation={"link": _link("jcw:episode", current.pk)},
            )
    except IntegrityError:
        where = "this contact" if contact is not None else "the end of this joint case work"
        raise JcwError(f"You have already given feedback on {where}") from None
    return feedback

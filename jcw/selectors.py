"""Joint case work reads: who may see which episode, the caseload, the counts, the timeline."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from complexcases.core.timeline import TimelineEvent
from complexcases.organisation.models import ProbationDeliveryUnit, User
from complexcases.organisation.roles import Role
from complexcases.people.models import Person
from complexcases.people.selectors import people_visible_to

from .models import ActivityType, JcwContact, JcwContactActivity, JcwEpisode, JcwFeedback
from .reference import (
    AGREEMENT_SCALE,
    CONFIDENCE_SCALE,
    RATING_STATEMENTS,
    SESSIONS_WITHOUT_REASON,
)

Status = JcwEpisode.Status
ContactType = JcwContact.ContactType
JCW_TYPES = list(JcwContact.JCW_TYPES)


# Who may see what -----------------------------------------------------------------------------


def jcw_episodes_visible_to(user: User) -> QuerySet[JcwEpisode]:
    """The Complex Cases team sees every episode; a clinician their own; practitioners, SPOs and
    heads of service the episodes of the people they may see."""
    if not user.is_authenticated or not user.has_perm("jcw.view_jcwepisode"):
        return JcwEpisode.objects.none()
    episodes = JcwEpisode.objects.select_related(
        "person", "person__pdu", "pdu", "clinician", "practitioner"
    )
    if user.has_perm("jcw.view_all_jcw"):
        return episodes
    return episodes.filter(Q(clinician=user) | Q(person__in=people_visible_to(user)))


def jcw_episode_get_for(user: User, pk: int) -> JcwEpisode:
    """The episode if the user may see it; otherwise 404, as if there were none."""
    episode = jcw_episodes_visible_to(user).filter(pk=pk).first()
    if episode is None:
        raise Http404("No such joint case work")
    return episode


def jcw_contacts_visible_to(user: User) -> QuerySet[JcwContact]:
    return JcwContact.objects.filter(episode__in=jcw_episodes_visible_to(user)).select_related(
        "episode",
        "episode__person",
        "episode__person__pdu",
        "episode__clinician",
        "episode__practitioner",
        "recorded_by",
        "practitioner_view_by",
    )


def jcw_contact_get_for(user: User, pk: int) -> JcwContact:
    contact = jcw_contacts_visible_to(user).filter(pk=pk).first()
    if contact is None:
        raise Http404("No such contact")
    return contact


def jcw_person_get_for(user: User, crn: str) -> Person:
    """The person's joint case work tab: people the user may see, or whose joint case work they may see."""
    if not user.is_authenticated or not user.has_perm("jcw.view_jcwepisode"):
        raise Http404("No such person")
    person = Person.objects.select_related("pdu", "practitioner").filter(crn=crn.upper()).first()
    if person is None or not (
        people_visible_to(user).filter(pk=person.pk).exists()
        or jcw_episodes_visible_to(user).filter(person=person).exists()
    ):
        raise Http404("No such person")
    return person


def jcw_people_openable_by(user: User) -> QuerySet[Person]:
    """A clinician opens joint case work for people in their own PDU (ADR 0013)."""
    if not user.is_authenticated or not user.has_perm("jcw.add_jcwepisode") or not user.pdu_id:
        return Person.objects.none()
    return Person.objects.filter(pdu_id=user.pdu_id).select_related("pdu", "practitioner")


def jcw_person_openable_get_for(user: User, crn: str) -> Person:
    person = jcw_people_openable_by(user).filter(crn=crn.strip().upper()).first()
    if person is None:
        raise Http404("No such person")
    return person


def open_episode_for(person: Person) -> JcwEpisode | None:
    return JcwEpisode.objects.filter(person=person, status=Status.OPEN).first()


def jcw_next_session(episode: JcwEpisode) -> tuple[int, bool]:
    """The number the next joint case work session will have, and whether it needs a reason
    (beyond the sixth, unless a reason was given when those sessions were planned)."""
    number = episode.contacts.filter(contact_type__in=JCW_TYPES).count() + 1
    covered = bool(episode.extra_sessions_reason) and number <= episode.planned_sessions
    return number, number > SESSIONS_WITHOUT_REASON and not covered


def jcw_feedback_given(*, episode: JcwEpisode, contact: JcwContact | None, user: User) -> bool:
    """Whether the user has already given this feedback (on this contact, or at the end)."""
    given = JcwFeedback.objects.filter(episode=episode, given_by=user)
    if contact is not None:
        return given.filter(contact=contact).exists()
    return given.filter(stage=JcwFeedback.Stage.END_OF_EPISODE).exists()


# The caseload and the person's tab -------------------------------------------------------------


def _with_sessions(episodes: QuerySet[JcwEpisode]) -> QuerySet[JcwEpisode]:
    return episodes.annotate(
        sessions_used=Count("contacts", filter=Q(contacts__contact_type__in=JCW_TYPES)),
        last_contact_at=Max("contacts__occurred_at"),
    )


CASELOAD_TABS = {"open": "Open", "closed": "Ended"}


def jcw_caseload(*, user: User, tab: str = "open") -> QuerySet[JcwEpisode]:
    """Episodes the user may see, with sessions used of planned: open ones first-started first."""
    episodes = _with_sessions(jcw_episodes_visible_to(user))
    if tab == "closed":
        return episodes.filter(status=Status.CLOSED).order_by("-closed_on", "-pk")[:100]
    return episodes.filter(status=Status.OPEN).order_by("started_on", "pk")


def jcw_caseload_counts(*, user: User) -> dict[str, int]:
    counts = dict(
        jcw_episodes_visible_to(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {"open": counts.get(Status.OPEN, 0), "closed": counts.get(Status.CLOSED, 0)}


def jcw_person_episodes(*, user: User, person: Person) -> list[JcwEpisode]:
    """The person's episodes the user may see, newest first, each with its clinician, its
    contacts (and their activities), its feedback and `sessions_used`.

    Kept on the person object for the rest of the request: the person page shows the
    summary and the timeline from one read. Only the clinician is joined (the person is the
    caller's), and sessions are counted from the contacts read anyway, not by a GROUP BY
    over every column: that query cost about 4 ms to plan and compile for a person with none.
    """
    cache = person.__dict__.setdefault("_jcw_episodes_by_user", {})
    if user.pk not in cache:
        contacts = JcwContact.objects.select_related("recorded_by").prefetch_related(
            Prefetch(
                "activities",
                queryset=JcwContactActivity.objects.select_related("activity_type"),
            )
        )
        episodes = list(
            jcw_episodes_visible_to(user)
            .filter(person=person)
            .select_related(None)  # the person is the caller's; of the rest, only the clinician
            .select_related("clinician")
            .prefetch_related(
                Prefetch("contacts", queryset=contacts),
                Prefetch("feedback", queryset=JcwFeedback.objects.select_related("given_by")),
            )
            .order_by("-started_on", "-pk")
        )
        for episode in episodes:
            episode.person = person
            # As `_with_sessions` counts them, from the contacts already read (no GROUP BY).
            episode.sessions_used = sum(
                1 for contact in episode.contacts.all() if contact.contact_type in JCW_TYPES
            )
        cache[user.pk] = episodes
    return cache[user.pk]


def jcw_person_summary(*, user: User, person: Person) -> dict | None:
    """For the person page: their open episode (if the user may see it) and how many in all."""
    if not user.has_perm("jcw.view_jcwepisode"):
        return None
    episodes = jcw_person_episodes(user=user, person=person)
    open_episode = next((e for e in episodes if e.status == Status.OPEN), None)
    return {"open": open_episode, "count": len(episodes)}


def activity_names(contact: JcwContact) -> list[str]:
    names = [activity.activity_type.name for activity in contact.activities.all()]
    if contact.other_activity:
        names = [f"Other: {contact.other_activity}" if name == "Other" else name for name in names]
    return names


def jcw_timeline_events(person: Person, *, user: User) -> list[TimelineEvent]:
    """Joint case work on the person's timeline, only for those who may see it."""
    if not user.has_perm("jcw.view_jcwepisode"):
        return []
    return jcw_episodes_timeline(jcw_person_episodes(user=user, person=person))


def jcw_episodes_timeline(episodes: list[JcwEpisode]) -> list[TimelineEvent]:
    """Episodes (contacts and feedback prefetched) as timeline events: started, contacts, feedback, ended."""
    events = []
    for episode in episodes:
        events.append(
            TimelineEvent(
                episode.started_on,
                "Joint case work started",
                f"Dilemma: {episode.dilemma[:300]}" if episode.has_aim else "Aim not recorded yet",
                episode.clinician.get_full_name(),
            )
        )
        for contact in episode.contacts.all():
            title = contact.get_contact_type_display()
            if contact.session_number:
                title += f": session {contact.session_number}"
            events.append(
                TimelineEvent(
                    timezone.localdate(contact.occurred_at),
                    title,
                    "; ".join(activity_names(contact)),
                    contact.recorded_by.get_full_name(),
                    at=contact.occurred_at,
                )
            )
        for feedback in episode.feedback.all():
            events.append(
                TimelineEvent(
                    timezone.localdate(feedback.given_at),
                    "Practitioner feedback on joint case work",
                    feedback.get_stage_display(),
                    feedback.given_by.get_full_name(),
                    at=feedback.given_at,
                )
            )
        if episode.status == Status.CLOSED:
            events.append(
                TimelineEvent(
                    episode.closed_on,
                    f"Joint case work ended: {episode.get_outcome_display().lower()}",
                    episode.closing_note[:300],
                )
            )
    return events


# Counts ---------------------------------------------------------------------------------------


def jcw_episodes_counted_for(user: User) -> tuple[QuerySet[JcwEpisode], str]:
    """The episodes behind the user's counts, and in words whose they are."""
    if not user.is_authenticated or not user.has_perm("jcw.view_jcw_counts"):
        return JcwEpisode.objects.none(), ""
    if user.has_perm("jcw.view_all_jcw"):
        return JcwEpisode.objects.all(), "every PDU"
    roles = set(user.groups.values_list("name", flat=True))
    scope, whose = Q(pk__in=[]), []
    if Role.OPD_CLINICIAN in roles:
        scope |= Q(clinician=user)
        if user.team_id:
            scope |= Q(clinician__team_id=user.team_id)
            whose.append(f"your team ({user.team.name})")
        else:
            whose.append("you")
    if Role.HEAD_OF_SERVICE in roles and user.pdu_id:
        scope |= Q(pdu_id=user.pdu_id)
        whose.append(f"your PDU ({user.pdu.name})")
    return JcwEpisode.objects.filter(scope), " and ".join(whose)


def months_ending(last: date, count: int) -> list[date]:
    """The first day of each of `count` months, ending with `last`'s month."""
    months = [last.replace(day=1)]
    for _ in range(count - 1):
        previous = months[0]
        months.insert(
            0, date(previous.year - (previous.month == 1), (previous.month - 2) % 12 + 1, 1)
        )
    return months


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class JcwCounts:
    whose: str
    months: list[date]
    joint_case_work: int = 0
    consultations: int = 0
    direct: int = 0
    indirect: int = 0
    by_activity: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[date, int, int]] = field(default_factory=list)
    by_pdu: list[tuple[str, int, int]] = field(default_factory=list)
    episodes_started: int = 0
    open_now: int = 0
    by_outcome: list[tuple[str, int]] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, int]]:
        """Every count as (measure, category, count): the CSV download."""
        period = f"{self.months[0]:%B %Y} to {self.months[-1]:%B %Y}"
        rows = [
            ("Contacts", "Joint case work", self.joint_case_work),
            ("Contacts", "Case consultation", self.consultations),
            ("Joint case work contacts", "Direct", self.direct),
            ("Joint case work contacts", "Indirect", self.indirect),
        ]
        rows += [("Joint case work contacts by activity type", n, c) for n, c in self.by_activity]
        for month, jcw, consultation in self.by_month:
            rows += [
                (f"Joint case work contacts in {month:%B %Y}", "", jcw),
                (f"Case consultations in {month:%B %Y}", "", consultation),
            ]
        for pdu, jcw, consultation in self.by_pdu:
            rows += [
                ("Joint case work contacts by PDU", pdu, jcw),
                ("Case consultations by PDU", pdu, consultation),
            ]
        rows += [
            ("Episodes", "Started", self.episodes_started),
            ("Episodes", "Open now", self.open_now),
        ]
        rows += [("Episodes ended", label, count) for label, count in self.by_outcome]
        return [("Period", period, ""), *rows]


def jcw_counts(*, user: User, months: list[date]) -> JcwCounts:
    """How much joint case work, of which kind, with what result: one aggregate query in the database.

    A contact with two activity types counts once under each; consultations are counted apart.
    """
    episodes, whose = jcw_episodes_counted_for(user)
    start, end = _start_of(months[0]), _start_of(_next_month(months[-1]))
    in_period = Q(contacts__occurred_at__gte=start, contacts__occurred_at__lt=end)
    jcw = in_period & Q(contacts__contact_type__in=JCW_TYPES)
    consultation = in_period & Q(contacts__contact_type=ContactType.CONSULTATION)
    activity_types = list(ActivityType.objects.order_by("position", "name"))
    pdus = list(
        ProbationDeliveryUnit.objects.filter(pk__in=episodes.values("pdu_id")).order_by("name")
    )
    first_day, last_day = months[0], _next_month(months[-1])
    ended = Q(status=Status.CLOSED, closed_on__gte=first_day, closed_on__lt=last_day)

    def contacts(condition: Q) -> Count:
        return Count("contacts", filter=condition, distinct=True)

    measures = {
        "joint_case_work": contacts(jcw),
        "consultations": contacts(consultation),
        "direct": contacts(in_period & Q(contacts__contact_type=ContactType.DIRECT)),
        "indirect": contacts(in_period & Q(contacts__contact_type=ContactType.INDIRECT)),
        "episodes_started": Count(
            "pk", filter=Q(started_on__gte=first_day, started_on__lt=last_day), distinct=True
        ),
        "open_now": Count("pk", filter=Q(status=Status.OPEN), distinct=True),
    }
    for activity in activity_types:
        measures[f"activity_{activity.pk}"] = contacts(
            jcw & Q(contacts__activities__activity_type=activity)
        )
    for index, month in enumerate(months):
        during = Q(
            contacts__occurred_at__gte=_start_of(month),
            contacts__occurred_at__lt=_start_of(_next_month(month)),
        )
        measures[f"month_{index}_jcw"] = contacts(during & Q(contacts__contact_type__in=JCW_TYPES))
        measures[f"month_{index}_consultation"] = contacts(
            during & Q(contacts__contact_type=ContactType.CONSULTATION)
        )
    for pdu in pdus:
        measures[f"pdu_{pdu.pk}_jcw"] = contacts(jcw & Q(pdu=pdu))
        measures[f"pdu_{pdu.pk}_consultation"] = contacts(consultation & Q(pdu=pdu))
    for outcome in JcwEpisode.Outcome:
        measures[f"outcome_{outcome.value}"] = Count(
            "pk", filter=ended & Q(outcome=outcome.value), distinct=True
        )
    totals = episodes.aggregate(**measures)
    return JcwCounts(
        whose=whose,
        months=months,
        joint_case_work=totals["joint_case_work"],
        consultations=totals["consultations"],
        direct=totals["direct"],
        indirect=totals["indirect"],
        by_activity=[
            (activity.name, totals[f"activity_{activity.pk}"])
            for activity in activity_types
            if activity.disabled_on is None or totals[f"activity_{activity.pk}"]
        ],
        by_month=[
            (month, totals[f"month_{i}_jcw"], totals[f"month_{i}_consultation"])
            for i, month in enumerate(months)
        ],
        by_pdu=[
            (pdu.name, totals[f"pdu_{pdu.pk}_jcw"], totals[f"pdu_{pdu.pk}_consultation"])
            for pdu in pdus
        ],
        episodes_started=totals["episodes_started"],
        open_now=totals["open_now"],
        by_outcome=[
            (outcome.label, totals[f"outcome_{outcome.value}"]) for outcome in JcwEpisode.Outcome
        ],
    )


# Feedback -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSummary:
    label: str
    responses: int
    mean: float | None
    counts: list[tuple[str, int]]  # (scale point, how many chose it)


@dataclass(frozen=True)
class FeedbackSummary:
    responses: int
    statements: list[RatingSummary]
    confidence_before: RatingSummary
    confidence_after: RatingSummary

    @property
    def confidence_rows(self) -> list[RatingSummary]:
        return [self.confidence_before, self.confidence_after]


def jcw_feedback_summary(feedback: QuerySet[JcwFeedback]) -> FeedbackSummary:
    """Responses, mean and spread for each statement and for confidence: one aggregate query."""
    scales = [(f, short, AGREEMENT_SCALE) for f, _statement, short in RATING_STATEMENTS] + [
        ("confidence_before", "Confidence working with the person before", CONFIDENCE_SCALE),
        ("confidence_after", "Confidence working with the person after", CONFIDENCE_SCALE),
    ]
    measures = {"responses": Count("pk")}
    for name, _label, scale in scales:
        measures[f"{name}_mean"] = Avg(name)
        for value, _point in scale:
            measures[f"{name}_{value}"] = Count("pk", filter=Q(**{name: value}))
    totals = feedback.order_by().aggregate(**measures)

    def summary(name, label, scale) -> RatingSummary:
        mean = totals[f"{name}_mean"]
        return RatingSummary(
            label=label,
            responses=totals["responses"],
            mean=round(float(mean), 1) if mean is not None else None,
            counts=[(point, totals[f"{name}_{value}"]) for value, point in scale],
        )

    rows = [summary(*scale) for scale in scales]
    return FeedbackSummary(
        responses=totals["responses"],
        statements=rows[:-2],
        confidence_before=rows[-2],
        confidence_after=rows[-1],
    )


def jcw_feedback_counted_for(*, user: User, months: list[date]) -> QuerySet[JcwFeedback]:
    """Feedback given in the period on the episodes behind the user's counts."""
    episodes, _whose = jcw_episodes_counted_for(user)
    return JcwFeedback.objects.filter(
        episode__in=episodes,
        given_at__gte=_start_of(months[0]),
        given_at__lt=_start_of(_next_month(months[-1])),
    )

"""Panel writes: the daily reminder digest of actions and check-ins."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from complexcases.core.access_log import Action, access_log_record
from complexcases.core.email import email_queue
from complexcases.organisation.models import User

from ..models import (
    FollowUp,
    PanelAction,
    ReminderDigest,
)
from .common import _url

# Reminders ------------------------------------------------------------------------------------


@dataclass
class Digest:
    actions: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    escalations: list = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.actions) + len(self.follow_ups) + len(self.escalations)


def reminder_digests(*, today: date) -> dict[User, Digest]:
    """Who should hear about what today: their actions and follow-ups due within
    REMINDER_DAYS_AHEAD days or overdue, and their reports' actions overdue by more than
    ESCALATION_DAYS. External owners are reminded through their internal chaser."""
    horizon = today + timedelta(days=settings.REMINDER_DAYS_AHEAD)
    escalate_before = today - timedelta(days=settings.ESCALATION_DAYS)
    digests: dict[int, Digest] = {}
    users: dict[int, User] = {}

    def digest_for(user: User) -> Digest:
        users[user.pk] = user
        return digests.setdefault(user.pk, Digest())

    due = PanelAction.objects.filter(
        status=PanelAction.Status.OPEN, due_date__lte=horizon
    ).select_related("owner", "owner__line_manager", "chaser", "chaser__line_manager")
    for action in due.order_by("due_date", "pk"):
        holder = action.owner or action.chaser
        if holder is None:
            continue
        if holder.is_active:
            digest_for(holder).actions.append(action)
        # A leaver's overdue actions still reach their manager.
        manager = holder.line_manager
        if action.due_date < escalate_before and manager is not None and manager.is_active:
            digest_for(manager).escalations.append(action)
    follow_ups = FollowUp.objects.filter(
        status=FollowUp.Status.SCHEDULED, due_on__lte=horizon, qdo__is_active=True
    ).select_related("qdo")
    for follow_up in follow_ups.order_by("due_on", "pk"):
        digest_for(follow_up.qdo).follow_ups.append(follow_up)
    return {users[pk]: digest for pk, digest in digests.items()}


def _digest_body(digest: Digest, today: date) -> str:
    def when(day: date) -> str:
        days = (day - today).days
        if days < 0:
            return f"overdue by {-days} day{'s' if days != -1 else ''}"
        return "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"

    lines = ["Complex Cases: what needs you.", ""]
    if digest.actions:
        lines.append("Your actions:")
        lines += [
            f"- Action {when(a.due_date)}: {_url('panel:action', a.pk)}" for a in digest.actions
        ]
        lines.append("")
    if digest.follow_ups:
        lines.append("Your follow-up check-ins:")
        lines += [
            f"- Check-in {when(f.due_on)}: {_url('panel:follow-up', f.pk)}"
            for f in digest.follow_ups
        ]
        lines.append("")
    if digest.escalations:
        lines.append(
            f"Actions held by people you manage, overdue by more than {settings.ESCALATION_DAYS} days:"
        )
        lines += [
            f"- Action {when(a.due_date)}: {_url('panel:action', a.pk)}" for a in digest.escalations
        ]
        lines.append("")
    lines.append(f"All your actions: {_url('panel:my-actions')}")
    return "\n".join(lines) + "\n"


def reminders_send(*, today: date | None = None) -> int:
    """Send each person at most one digest a day (links only, no names or CRNs). A second run
    the same day sends nothing: the digest row is unique per person and day."""
    today = today or timezone.localdate()
    sent = 0
    for user, digest in reminder_digests(today=today).items():
        if not digest.size:
            continue
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user=user, day=today, items=digest.size)
                access_log_record(
                    user=None,
                    action=Action.DISCLOSURE,
                    record_type="reminder digest",
                    detail=f"Reminder digest: {digest.size} item(s), links only",
                    recipient=user.email,
                )
                body = _digest_body(digest, today)
                email_queue(
                    subject="Complex Cases: your actions and follow-ups",
                    body=body,
                    to=[user.email],
                    record_type="reminder digest",
                    template="reminder-digest",
                    personalisation={
                        "items": [line[2:] for line in body.splitlines() if line.startswith("- ")],
                        "link": _url("panel:my-actions"),
                    },
                )
        except IntegrityError:
            continue  # already sent today
        sent += 1
    return sent

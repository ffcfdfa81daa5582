from datetime import datetime, time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Layout,
    Size,
    Submit,
)
from django import forms
from django.utils import timezone

from complexcases.core.forms import GovukDateField, parse_time

from .models import Theme, TriageRecord, TriageRequest
from .reference import themes_grouped

YES_NO = [Choice("yes", "Yes"), Choice("no", "No")]


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit, data_prevent_double_click="true"))
    return helper


def _textarea(
    label: str, hint: str, required: str, max_length: int = 1500, *, noun: str
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required,
            "max_length": f"{noun} must be {max_length:,} characters or fewer",
        },
    )


def _too_long(noun: str, max_length: int) -> dict:
    return {"max_length": f"{noun} must be {max_length:,} characters or fewer"}


class TriageRequestForm(forms.Form):
    """Three short questions, as light as an email (DOMAIN.md: no referral form)."""

    requester_role = forms.ChoiceField(
        label="Who is asking?",
        # A case holder says who they are; the team asks as the team (the view sets it).
        choices=[
            (TriageRequest.RequesterRole.PRACTITIONER, "Probation practitioner"),
            (TriageRequest.RequesterRole.SPO, "Senior probation officer"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are the practitioner or the SPO",
            "invalid_choice": "Select whether you are the practitioner or the SPO",
        },
    )
    blockers = _textarea(
        "What is making the case complex or stuck?",
        "A few lines are enough.",
        "Enter what is making the case complex or stuck",
        noun="What is making the case complex or stuck",
    )
    tried = _textarea(
        "What has been tried?",
        "What you and others have already done.",
        "Enter what has been tried",
        noun="What has been tried",
    )
    support_sought = _textarea(
        "What support are you looking for?",
        "For example, advice, a named contact, or a panel.",
        "Enter what support you are looking for",
        noun="The support you are looking for",
    )
    urgent = forms.ChoiceField(
        label="Is this urgent?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Urgent requests go to the top of the team's queue.",
        error_messages={"required": "Select yes if the request is urgent"},
    )
    below_threshold_reason = forms.CharField(
        label="Why does this person need triage?",
        help_text="This person is not on this month's list. One line is enough.",
        max_length=1000,
        error_messages={
            "required": "Enter why this person needs triage",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )

    def __init__(self, *args, listed: bool, for_team: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.radios("requester_role", legend_size=Size.SMALL, inline=False),
            Field.textarea("blockers", max_characters=1500),
            Field.textarea("tried", max_characters=1500),
            Field.textarea("support_sought", max_characters=1500),
            Field.radios("urgent", legend_size=Size.SMALL, inline=False),
        ]
        if for_team:
            del self.fields["requester_role"]
            fields.pop(0)
        if listed:
            del self.fields["below_threshold_reason"]
        else:
            fields.insert(0, Field.text("below_threshold_reason"))
        self.helper = _helper(*fields, submit="Continue")


class ScheduleForm(forms.Form):
    # Panel sessions are booked ahead; a triage meeting can be recorded after it happened.
    future_only = True

    meeting_date = GovukDateField(
        label="Date",
        help_text="For example, 27 11 2026",
        required_message="Enter the date of the meeting",
        real_date_message="The date of the meeting must be a real date",
    )
    meeting_time = forms.CharField(
        label="Start time",
        help_text="For example, 10am or 2:30pm",
        max_length=10,
        error_messages={
            "required": "Enter the start time",
            "max_length": "Enter the start time like 10am, 2:30pm or 14:30",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=45,
        min_value=15,
        max_value=240,
        error_messages={
            "required": "Enter the length of the meeting in minutes",
            "invalid": "The length must be a number of minutes, like 45",
            "min_value": "The meeting must be at least 15 minutes",
            "max_value": "The meeting must be 240 minutes or shorter",
        },
    )

    def clean_meeting_time(self) -> time:
        parsed = parse_time(self.cleaned_data["meeting_time"])
        if parsed is None:
            raise forms.ValidationError("Enter the start time like 10am, 2:30pm or 14:30")
        return parsed

    def starts_at(self) -> datetime:
        day, at = self.cleaned_data["meeting_date"], self.cleaned_data["meeting_time"]
        return timezone.make_aware(datetime.combine(day, at))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("meeting_date")
            and cleaned.get("meeting_time")
            and self.future_only
            and self.starts_at() <= timezone.now()
        ):
            self.add_error("meeting_date", "The meeting must be in the future")
        return cleaned


def _past_meeting_hint(not_sent: str) -> str:
    return (
        "For example, 27 11 2026. For a meeting that has already taken place (arranged by "
        f"phone), enter when it was held: {not_sent}."
    )


class TriageScheduleForm(ScheduleForm):
    future_only = False

    invitees = forms.MultipleChoiceField(
        label="Who should be invited?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one person to invite",
            "invalid_choice": "Select people to invite from the list",
        },
    )
    invite_pom = forms.BooleanField(
        label="Invite the prison offender manager (POM)", required=False
    )
    pom_name = forms.CharField(
        label="POM's name",
        max_length=200,
        required=False,
        error_messages=_too_long("The POM's name", 200),
    )
    pom_email = forms.EmailField(
        label="POM's email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def __init__(self, *args, invitee_choices: list[tuple[str, str]], pom_prompt: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].help_text = _past_meeting_hint(
            "no invitations are sent. For a meeting in the future, everyone invited gets an "
            "invitation with a calendar entry"
        )
        self.fields["invitees"].choices = invitee_choices
        layout = [
            Field("meeting_date"),
            Field.text("meeting_time", field_width=10),
            Field.text("duration_minutes", field_width=3),
            Field.checkboxes("invitees", legend_size=Size.SMALL, small=True),
        ]
        if pom_prompt:
            layout += [
                HTML(
                    '<div class="govuk-inset-text">This person is in custody or due for release within 12 weeks: '
                    "invite their POM.</div>"
                ),
                Fieldset(
                    Field.checkbox("invite_pom"),
                    Field.text("pom_name"),
                    Field.text("pom_email", field_width=20),
                    legend="Prison offender manager",
                    legend_size=Size.SMALL,
                ),
            ]
        else:
            for name in ("invite_pom", "pom_name", "pom_email"):
                del self.fields[name]
        # One label for both: invitations go only for a meeting in the future (the hint says so).
        self.helper = _helper(*layout, submit="Save the meeting")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("invite_pom"):
            if not cleaned.get("pom_name"):
                self.add_error("pom_name", "Enter the POM's name")
            if not cleaned.get("pom_email") and "pom_email" not in self.errors:
                self.add_error("pom_email", "Enter the POM's email address")
        return cleaned


class RescheduleForm(ScheduleForm):
    future_only = False

    reason = forms.CharField(
        label="Why is the meeting moving?",
        help_text="This is included in the update sent to everyone invited.",
        max_length=500,
        error_messages={
            "required": "Enter why the meeting is moving",
            **_too_long("The reason", 500),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].help_text = _past_meeting_hint("no update is sent")
        self.helper = _helper(
            Field("meeting_date"),
            Field.text("meeting_time", field_width=10),
            Field.text("duration_minutes", field_width=3),
            Field.text("reason"),
            submit="Reschedule and send updates",
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason", **_too_long("The reason", 1000)},
    )

    def __init__(self, *args, label: str, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.helper = _helper(Field.textarea("reason"), submit=submit)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Programme manager",
        queryset=None,
        empty_label="Choose a programme manager",
        error_messages={
            "required": "Choose a programme manager",
            "invalid_choice": "Choose a programme manager",
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = queryset
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()
        self.helper = _helper(Field.select("assignee"), submit="Assign")


class HeldForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label="Who attended?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select who attended the meeting",
            "invalid_choice": "Select who attended from the list",
        },
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, invitees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(i.pk), f"{i.display_name} ({i.role})") for i in invitees
        ]
        self.helper = _helper(
            Field.checkboxes("attended", legend_size=Size.SMALL, small=True),
            Field("version"),
            submit="Save attendance",
        )


BLOCKER_ROWS = 3


class OutcomeForm(forms.Form):
    guidance = _textarea(
        "Guidance given",
        "What the team advised.",
        "Enter the guidance given",
        3000,
        noun="The guidance",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=TriageRecord.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    panel_ask = forms.CharField(
        label="What is the panel asked to help with?",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long("What the panel is asked to help with", 1500),
    )
    redirect_to = forms.ChoiceField(
        label="Where is the case redirected to?",
        choices=[("", "Choose where"), *TriageRecord.RedirectTo.choices],
        required=False,
        error_messages={"invalid_choice": "Choose where the case is redirected to"},
    )
    redirect_reason = forms.CharField(
        label="Why is it redirected?",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long("Why the case is redirected", 1500),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_too_long("Notes", 3000),
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = list(Theme.objects.filter(disabled_on__isnull=True))
        groups = themes_grouped(active)
        # Choices in the order the page shows them, so the first box is the error summary's anchor.
        themes = [(str(theme.pk), theme.name) for _, members in groups for theme in members]
        layout = []
        for n in range(1, BLOCKER_ROWS + 1):
            self.fields[f"blocker_{n}"] = forms.CharField(
                label=f"Blocker {n}",
                max_length=300,
                required=False,
                help_text="One short line" if n == 1 else "",
                error_messages={"max_length": f"Blocker {n} must be 300 characters or fewer"},
            )
            self.fields[f"blocker_{n}_themes"] = forms.MultipleChoiceField(
                label=f"Themes for blocker {n}",
                choices=themes,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"blocker_{n}_themes"].theme_groups = _numbered(groups)
            blocker = Fieldset(
                Field.text(f"blocker_{n}"),
                Field(f"blocker_{n}_themes", template="triage/includes/theme_checkboxes.html"),
                legend=f"Blocker {n}" + (" (optional)" if n > 1 else ""),
                legend_size=Size.MEDIUM,
            )
            layout += [blocker] if n == 1 else self._folded(blocker, n)
        outcomes = dict(TriageRecord.Outcome.choices)
        layout += [
            Field.textarea("guidance"),
            ConditionalRadios(
                "outcome",
                outcomes[TriageRecord.Outcome.CLOSED_WITH_GUIDANCE],
                ConditionalQuestion(
                    outcomes[TriageRecord.Outcome.REFER_TO_PANEL], Field.textarea("panel_ask")
                ),
                ConditionalQuestion(
                    outcomes[TriageRecord.Outcome.REDIRECT],
                    Field.select("redirect_to"),
                    Field.textarea("redirect_reason"),
                ),
            ),
            Field.textarea("notes"),
            Field("version"),
        ]
        self.helper = _helper(*layout, submit="Save outcome")

    def _folded(self, blocker, n: int) -> list:
        """An optional blocker folded in a GOV.UK details, open once it holds something."""
        # Its own errors need something typed or ticked, so "holds something" covers them.
        used = any(self[name].value() for name in (f"blocker_{n}", f"blocker_{n}_themes"))
        return [
            HTML(
                f'<details class="govuk-details"{" open" if used else ""}>'
                '<summary class="govuk-details__summary">'
                f'<span class="govuk-details__summary-text">Add blocker {n}</span></summary>'
                '<div class="govuk-details__text">'
            ),
            blocker,
            HTML("</div></details>"),
        ]

    def clean(self):
        cleaned = super().clean()
        # Only the chosen outcome's own questions count: an answer typed under another
        # outcome, then hidden by choosing this one, is not saved.
        if cleaned.get("outcome") != TriageRecord.Outcome.REFER_TO_PANEL:
            cleaned["panel_ask"] = ""
        if cleaned.get("outcome") != TriageRecord.Outcome.REDIRECT:
            cleaned["redirect_to"] = cleaned["redirect_reason"] = ""
        if not any(cleaned.get(f"blocker_{n}") for n in range(1, BLOCKER_ROWS + 1)):
            self.add_error("blocker_1", "Enter at least one blocker")
        for n in range(1, BLOCKER_ROWS + 1):
            if cleaned.get(f"blocker_{n}_themes") and not cleaned.get(f"blocker_{n}"):
                self.add_error(f"blocker_{n}", f"Enter blocker {n}, or clear its themes")
        outcome = cleaned.get("outcome")
        if outcome == TriageRecord.Outcome.REFER_TO_PANEL and not cleaned.get("panel_ask"):
            self.add_error("panel_ask", "Enter what the panel is asked to help with")
        if outcome == TriageRecord.Outcome.REDIRECT:
            if not cleaned.get("redirect_to"):
                self.add_error("redirect_to", "Choose where the case is redirected to")
            if not cleaned.get("redirect_reason"):
                self.add_error("redirect_reason", "Enter why the case is redirected")
        return cleaned

    def blockers(self) -> list[tuple[str, list[int]]]:
        return [
            (
                self.cleaned_data[f"blocker_{n}"],
                [int(pk) for pk in self.cleaned_data[f"blocker_{n}_themes"]],
            )
            for n in range(1, BLOCKER_ROWS + 1)
            if self.cleaned_data.get(f"blocker_{n}")
        ]


def _numbered(groups) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """(category, [(value, label, n)]) with n counting from 1 across the groups, as
    crispy-forms-gds numbers checkbox ids (the error summary links to the first)."""
    numbered, n = [], 0
    for category, members in groups:
        items = []
        for theme in members:
            n += 1
            items.append((str(theme.pk), theme.name, n))
        numbered.append((category, items))
    return numbered

"""The pages' choices, from the query string: area codes, a horizon, a measure, a threshold."""

from django import forms

from .measures import HORIZONS, MEASURES
from .selectors import THRESHOLDS

BY = {"theme": "Triage theme", "region": "Region"}


class AreaForm(forms.Form):
    """Region and PDU codes (a code outside the user's scope is a 404: see scope_choose)."""

    region = forms.CharField(required=False, max_length=20)
    pdu = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean(self):
        cleaned = super().clean()
        region, pdu = cleaned.get("region"), cleaned.get("pdu")
        if region and pdu:
            chosen = next((p for p in self.scope.pdus if p.code == pdu), None)
            if chosen is not None and chosen.region.code != region:
                self.add_error(
                    "pdu",
                    "The PDU you chose is not in the region you chose: choose a PDU in that region, or all PDUs",
                )
        return cleaned


class BreakdownForm(forms.Form):
    """Which measure, at which horizon, the by-theme and by-region tables show."""

    horizon = forms.TypedChoiceField(
        choices=[(h, f"{h} month{'s' if h != 1 else ''} after the hearing") for h in HORIZONS],
        coerce=int,
        required=False,
        empty_value=6,
    )
    measure = forms.ChoiceField(choices=[(m.slug, m.label) for m in MEASURES], required=False)

    def chosen(self) -> tuple[int, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("horizon") or 6, data.get("measure") or "listed"


class ThresholdForm(forms.Form):
    threshold = forms.TypedChoiceField(
        choices=[(t, f"{t} or more") for t in THRESHOLDS],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def chosen(self) -> int | None:
        return self.cleaned_data.get("threshold") if self.is_valid() else None

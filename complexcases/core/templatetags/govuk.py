from django import template

from complexcases.core import error_summary, formatting

register = template.Library()


@register.filter
def govuk_time(value):
    return formatting.govuk_time(value) if value else ""


@register.simple_tag
def govuk_time_range(start, end):
    return formatting.govuk_time_range(start, end)


@register.filter
def govuk_date(value):
    return formatting.govuk_date(value) if value else ""


@register.filter
def summary_errors(form):
    """The form's errors for a GOV.UK error summary, each linked to the input to fix."""
    return error_summary.summary_errors(form)


@register.filter
def mid_sentence(value):
    """A role name inside a sentence: lower case, except an acronym such as OPD."""
    return formatting.mid_sentence(value)

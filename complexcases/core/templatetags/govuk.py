from django import template

from complexcases.core import formatting

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

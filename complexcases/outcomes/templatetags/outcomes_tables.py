"""An outcomes table's body rows as HTML in one pass.

The pages hold up to 110 PDUs by 14 columns, or eight tables of eight measures: rendered cell
by cell through template loops they cost more than the page's SQL (as the dashboard found,
reporting/templatetags/reporting.py). This builds the markup the loops would, escaping every
label and cell as autoescaping would.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString

register = template.Library()

_ROW = '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>{}</tr>\n'
_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
_EMPTY = '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">Nothing to show.</td></tr>\n'


@register.simple_tag
def outcomes_table_rows(table) -> SafeString:
    """The table's body: a row header, then one numeric cell per column."""
    if not table.rows:
        return SafeString(_EMPTY.format(len(table.headers)))
    return SafeString(
        "".join(
            _ROW.format(
                escape(row.label), "".join(_CELL.format(escape(cell.text)) for cell in row.cells)
            )
            for row in table.rows
        )
    )

"""The "copy into nDelius" page every workflow offers (ADR 0027).

The service does not write to nDelius: the user copies the text into a sensitive contact.
Showing the text is a disclosure to nDelius (docs/security.md), logged as one with its
recipient, whichever workflow the record comes from.
"""

from django.db import transaction
from django.shortcuts import render

from .access_log import Action, access_log_record

RECIPIENT = "nDelius (copied by the user)"


def ndelius_copy_page(
    request,
    *,
    person,
    record_type: str,
    record_id,
    text: str,
    heading: str,
    back_url: str,
    back_label: str,
    kind: str = "",
    person_link: bool = False,
    rows: int = 18,
):
    """Log the disclosure and show ``text`` ready to copy, under ``heading``."""
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=Action.DISCLOSURE,
            record_type=record_type,
            person=person,
            record_id=record_id,
            detail="nDelius contact text viewed",
            recipient=RECIPIENT,
        )
    return render(
        request,
        "core/ndelius_copy.html",
        {
            "person": person,
            "text": text,
            "heading": heading,
            "back_url": back_url,
            "back_label": back_label,
            "kind": kind,
            "person_link": person_link,
            "rows": rows,
        },
    )

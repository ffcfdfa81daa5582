"""Writes for screening: importing an extract, generating the monthly list, recording conversations.

One module per concern; this package re-exports the services other modules call.
"""

from .conversations import pathway_override_record, reflective_conversation_record
from .errors import ScreeningError
from .imports import (
    extract_import,
    extract_upload_create,
    extract_upload_given_up,
    extract_upload_process,
)
from .monthly_list import (
    LISTED,
    first_of_month,
    monthly_list_generate,
    monthly_list_notify,
    previous_month,
)
from .staging import SCREENING_VALUE_COLUMNS

__all__ = [
    "LISTED",
    "SCREENING_VALUE_COLUMNS",
    "ScreeningError",
    "extract_import",
    "extract_upload_create",
    "extract_upload_given_up",
    "extract_upload_process",
    "first_of_month",
    "monthly_list_generate",
    "monthly_list_notify",
    "pathway_override_record",
    "previous_month",
    "reflective_conversation_record",
]

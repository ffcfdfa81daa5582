"""Virus scanning of every upload by ClamAV's clamd, before the file is read or stored.

One validator, `upload_scan`, used by every upload field (through `ScannedFileField`). The
scanner is configured by CLAMD_URL (`unix:///run/clamav/clamd.ctl` or `tcp://host:3310`):
- configured and the file is clean: accepted;
- configured and the file is infected: refused with a clear message and logged (the
  signature name, the size and the request id; never the file name, which can hold a name);
- configured but clamd is down or fails: refused (fail closed);
- not configured: accepted, unless UPLOAD_SCAN_REQUIRED (production) refuses it; the field's
  hint says that scanning is off.
"""

import logging
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy

logger = logging.getLogger(__name__)

# The GOV.UK Design System's wording for the file upload component's errors.
INFECTED_MESSAGE = "The selected file contains a virus"
UNAVAILABLE_MESSAGE = "The selected file could not be checked for viruses – try again later"
SCANNING_OFF_HINT = "Virus scanning is off on this system: only upload files you trust."


class ScannerUnavailable(Exception):
    """clamd is configured but could not give a verdict."""


def scanner_configured() -> bool:
    return bool(settings.CLAMD_URL)


def _clamd(timeout: float | None = None):
    import clamdpy

    url = urlsplit(settings.CLAMD_URL)
    timeout = timeout or settings.CLAMD_TIMEOUT_SECONDS
    # 64 KiB chunks: clamd's INSTREAM takes any size up to its StreamMaxLength in total.
    if url.scheme == "unix":
        return clamdpy.ClamdUnixSocket(url.path, timeout=timeout, max_chunk_size=65536)
    if url.scheme == "tcp":
        return clamdpy.ClamdNetworkSocket(
            url.hostname, url.port or 3310, timeout=timeout, max_chunk_size=65536
        )
    raise ScannerUnavailable("CLAMD_URL must start unix:// or tcp://")


def scanner_ping() -> None:
    """Raise ScannerUnavailable unless clamd answers PING (readiness)."""
    try:
        # A probe must answer within seconds, whatever a scan may take.
        answer = _clamd(timeout=min(3.0, settings.CLAMD_TIMEOUT_SECONDS)).ping().strip()
    except Exception as error:  # connection refused, timeout, clamdpy's own errors
        raise ScannerUnavailable(f"{type(error).__name__}: {error}") from error
    if answer != "PONG":
        raise ScannerUnavailable(f"clamd answered {answer[:40]!r} to PING")


def stream_scan(stream) -> str | None:
    """The signature name if clamd finds one in the stream, None if clean; ScannerUnavailable otherwise."""
    try:
        result = _clamd().instream(stream)
    except Exception as error:  # connection refused, timeout, size limit, protocol error
        raise ScannerUnavailable(f"{type(error).__name__}: {error}") from error
    if result.status == "FOUND":
        return result.reason or "unknown"
    if result.status != "OK":
        raise ScannerUnavailable(f"clamd error: {result.reason}")
    return None


def upload_scan(upload) -> None:
    """Validator for every uploaded file: refuse it if infected, or if it cannot be checked."""
    from .metrics import uploads_scanned
    from .middleware import current_request_id

    if not scanner_configured():
        if settings.UPLOAD_SCAN_REQUIRED:
            logger.error("Upload refused: UPLOAD_SCAN_REQUIRED is on but CLAMD_URL is not set")
            uploads_scanned.labels(outcome="unavailable").inc()
            raise ValidationError(UNAVAILABLE_MESSAGE, code="scan_unavailable")
        uploads_scanned.labels(outcome="not_scanned").inc()
        return
    upload.seek(0)
    try:
        signature = stream_scan(upload)
    except ScannerUnavailable as error:
        logger.error("Upload refused: virus scanner unavailable (%s)", error)
        uploads_scanned.labels(outcome="unavailable").inc()
        raise ValidationError(UNAVAILABLE_MESSAGE, code="scan_unavailable") from None
    finally:
        upload.seek(0)
    if signature:
        logger.warning(
            "Upload refused: virus found (signature %s, %d bytes, request %s)",
            signature,
            upload.size or 0,
            current_request_id(),
        )
        uploads_scanned.labels(outcome="infected").inc()
        raise ValidationError(INFECTED_MESSAGE, code="infected")
    uploads_scanned.labels(outcome="clean").inc()


def _with_scanning_hint(help_text: str) -> str:
    """Say so on the page when uploads are accepted unscanned (locally, with no clamd)."""
    if scanner_configured() or settings.UPLOAD_SCAN_REQUIRED:
        return help_text
    return f"{help_text} {SCANNING_OFF_HINT}".strip()


# Public: a form that sets its file field's hint in __init__ passes it through this too.
with_scanning_hint = _hint = lazy(_with_scanning_hint, str)


class ScannedFileField(forms.FileField):
    """A FileField whose file is scanned for viruses before any other check reads it."""

    default_validators = [upload_scan]

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, help_text=_hint(help_text), **kwargs)

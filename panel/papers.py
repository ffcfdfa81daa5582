"""What kind of file a panel paper really is, read from its content, never from its name."""

import zipfile

KINDS = {
    "pdf": ("PDF", "application/pdf"),
    "docx": (
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "txt": ("Plain text", "text/plain; charset=utf-8"),
}
ACCEPTED = "a PDF, a Word document (.docx), an OpenDocument text file (.odt) or plain text"


class PaperTypeError(ValueError):
    """The file is not one of the accepted kinds; the message says what is accepted."""


def paper_kind(upload) -> str:
    """'pdf', 'docx', 'odt' or 'txt' from the bytes; PaperTypeError for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_document_kind(upload)
        upload.seek(0)
        if kind:
            return kind
    elif _is_plain_text(upload):
        upload.seek(0)
        return "txt"
    upload.seek(0)
    raise PaperTypeError(f"The paper must be {ACCEPTED}")


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# An archive is judged from its directory, never by unpacking it. Real papers unpack to a
# few MB at a ratio of 2 to 20; a zip bomb declares far more, or packs it far tighter.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024  # a tiny archive of repeated XML may pack tightly
MAX_ENTRIES = 10_000


class PaperTooLargeUnpackedError(PaperTypeError):
    """An archive that would unpack to far more than any real paper (a zip bomb)."""


def _refuse_bombs(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if (
        len(entries) > MAX_ENTRIES
        or unpacked > MAX_UNPACKED_BYTES
        or (unpacked > RATIO_CHECKED_ABOVE_BYTES and unpacked > MAX_RATIO * max(packed, 1))
    ):
        raise PaperTooLargeUnpackedError(
            f"The document would unpack to more than any real paper "
            f"(over {MAX_UNPACKED_BYTES // (1024 * 1024)} MB, or {MAX_RATIO} times its size). "
            "Save it as a PDF and upload that"
        )


def _zip_document_kind(upload) -> str | None:
    """'odt' or 'docx' for an archive that is plainly one; None for anything else.

    The archive is untrusted: a damaged or crafted one can make zipfile raise almost anything
    (zlib.error, lzma.LZMAError, EOFError, NotImplementedError for an unknown compression
    method, RuntimeError for encryption). Any of them means "not a document we accept".
    """
    try:
        with zipfile.ZipFile(upload) as archive:
            _refuse_bombs(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(len(ODT_MIMETYPE) + 2).strip()  # never unpacks more
                return "odt" if mimetype == ODT_MIMETYPE else None
            if "word/vbaProject.bin" in names:
                return None  # a macro-enabled document (.docm) is refused
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except PaperTooLargeUnpackedError:
        raise
    except Exception:
        return None
    return None


def _is_plain_text(upload) -> bool:
    """UTF-8 with no control characters other than tab, newline and carriage return."""
    content = upload.read()
    if b"\x00" in content:
        return False
    try:
        text = content.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is fine
    except UnicodeDecodeError:
        return False
    return all(char.isprintable() or char in "\t\r\n\f" for char in text)

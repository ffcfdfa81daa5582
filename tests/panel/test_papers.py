"""A paper's kind is read from its content; a damaged file is refused, never a crash."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given, settings
from hypothesis import strategies as st

from panel.papers import PaperTooLargeUnpackedError, PaperTypeError, paper_kind

METHODS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]


def archive(method: int, entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, content in entries.items():
            out.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


ODT = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@st.composite
def damaged_archives(draw):
    """A real .odt or .docx, in any compression, with a few bytes changed."""
    data = bytearray(archive(draw(st.sampled_from(METHODS)), draw(st.sampled_from([ODT, DOCX]))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def corrupt_deflate() -> bytes:
    data = bytearray(archive(zipfile.ZIP_DEFLATED, ODT))
    data[data.index(b"mimetype") + 8 + 3] = 0  # inside the mimetype entry's compressed bytes
    return bytes(data)


@pytest.mark.parametrize("method", METHODS)
def test_an_odt_or_docx_is_recognised_in_any_compression(method):
    assert paper_kind(SimpleUploadedFile("a", archive(method, ODT))) == "odt"
    assert paper_kind(SimpleUploadedFile("a", archive(method, DOCX))) == "docx"


@settings(max_examples=500, deadline=None)
@given(data=st.one_of(damaged_archives(), st.binary(max_size=200)))
@example(data=corrupt_deflate())  # found by this test: zlib.error, a server error on upload
def test_any_file_is_a_known_kind_or_refused_with_the_reason(data):
    try:
        kind = paper_kind(SimpleUploadedFile("paper", data))
    except PaperTooLargeUnpackedError as refused:
        assert "Save it as a PDF" in str(refused)  # noqa: PT017
    except PaperTypeError as refused:
        assert "must be a PDF" in str(refused)  # noqa: PT017
    else:
        assert kind in ("pdf", "docx", "odt", "txt")


def test_a_huge_mimetype_entry_is_not_unpacked():
    """A small upload that would unpack to 50 MB is read a few bytes at most (not a timing)."""
    bomb = archive(zipfile.ZIP_DEFLATED, {"mimetype": b"a" * 50_000_000})
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(PaperTypeError):
            paper_kind(SimpleUploadedFile("paper", bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


@pytest.mark.parametrize("document", [ODT, DOCX])
def test_a_document_that_unpacks_to_200_mb_of_zeros_is_refused_unread(document):
    """A zip bomb is refused from its directory: nothing near 200 MB is ever unpacked."""
    bomb = archive(zipfile.ZIP_DEFLATED, {**document, "word/media/zeros.bin": bytes(200_000_000)})
    assert len(bomb) < 500_000
    tracemalloc.start()
    try:
        with pytest.raises(PaperTooLargeUnpackedError, match="Save it as a PDF"):
            paper_kind(SimpleUploadedFile("paper.docx", bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_a_document_packed_far_tighter_than_any_paper_is_refused():
    """5 MB of one repeated byte packs about 1000 to 1: under the size limit, over the ratio."""
    tight = archive(zipfile.ZIP_DEFLATED, {**DOCX, "word/document.xml": b"a" * 5_000_000})
    with pytest.raises(PaperTooLargeUnpackedError):
        paper_kind(SimpleUploadedFile("paper.docx", tight))


def test_a_real_sized_document_with_pictures_is_accepted():
    """2 MB of text that packs about 3 to 1 and a 3 MB picture that does not pack at all."""
    import random

    words = random.Random(1).choices([b"panel ", b"housing ", b"review ", b"support "], k=300_000)
    document = {
        **DOCX,
        "word/document.xml": b"<w:document>" + b"".join(words) + b"</w:document>",
        "word/media/image1.png": random.Random(2).randbytes(3_000_000),
    }
    assert paper_kind(
        SimpleUploadedFile("paper.docx", archive(zipfile.ZIP_DEFLATED, document))
    ) == ("docx")

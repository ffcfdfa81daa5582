"""Reading an uploaded CSV all-or-nothing, with a plain-English reason for every bad cell.

Importers call `read_csv` to get rows with their line numbers, collect `ImportProblem`s
while checking every row (never stopping at the first), and raise `ImportRejected`
with all of them before writing anything.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import IO


@dataclass(frozen=True)
class ImportProblem:
    line: int | None  # the file's line number, header = 1; None for the file as a whole
    column: str
    value: str
    message: str

    def as_text(self) -> str:
        where = f"Line {self.line}" if self.line is not None else "File"
        column = f", column {self.column}" if self.column else ""
        value = f' ("{self.value}")' if self.value else ""
        return f"{where}{column}{value}: {self.message}"


class ImportRejected(Exception):
    """The file was not imported; `problems` says every reason why."""

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        heading = f"The file was not imported. Nothing was saved. {count} problem" + (
            "" if count == 1 else "s"
        )
        return heading + " to fix:\n" + "\n".join(p.as_text() for p in self.problems)


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def _text_stream(source: IO | str | bytes) -> IO[str]:
    if isinstance(source, bytes):
        return io.StringIO(source.decode("utf-8-sig"))
    if isinstance(source, str):
        return open(source, encoding="utf-8-sig", newline="")
    if isinstance(source, io.TextIOBase):
        return source
    return io.TextIOWrapper(source, encoding="utf-8-sig", newline="")


def read_csv(
    source: IO | str | bytes, *, required_columns: Iterable[str], problems: list[ImportProblem]
) -> Iterator[CsvRow]:
    """Yield each data row stripped of surrounding spaces; reject a bad header or encoding whole.

    A row with the wrong number of values is added to `problems` (the caller's list, raised
    with its own after the last row) and skipped.
    """
    header: list[str] = []
    for line, cells in _read_rows(source, required_columns, problems, header):
        yield CsvRow(line, dict(zip(header, cells, strict=True)))


def read_csv_columns(
    source: IO | str | bytes,
    *,
    columns: Sequence[str],
    problems: list[ImportProblem],
    required_columns: Iterable[str] | None = None,
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Like `read_csv`, but yield (line, the named columns' stripped values in that order).

    For big files: no dict per row, and unknown extra columns are dropped early.
    `required_columns` (default `columns`) sets the order missing columns are reported in.
    """
    header: list[str] = []
    rows = _read_rows(
        source, columns if required_columns is None else required_columns, problems, header
    )
    pick = None
    for line, cells in rows:
        if pick is None:
            pick = itemgetter(*(header.index(name) for name in columns))
        yield line, pick(cells)


def _read_rows(
    source: IO | str | bytes,
    required_columns: Iterable[str],
    problems: list[ImportProblem],
    header_out: list[str],
) -> Iterator[tuple[int, list[str]]]:
    """The shared reader: checks the header (filling `header_out`), yields (line, stripped cells)."""
    stream = None
    try:
        stream = _text_stream(source)
        reader = csv.reader(stream)
        try:
            header = next(reader)
        except StopIteration:
            raise ImportRejected([ImportProblem(None, "", "", "The file is empty")]) from None
        header = [name.strip().lower() for name in header]
        missing = [name for name in required_columns if name not in header]
        duplicated = sorted({name for name in header if name and header.count(name) > 1})
        header_problems = [
            ImportProblem(1, name, "", "This column is missing from the header row")
            for name in missing
        ] + [
            ImportProblem(1, name, "", "This column appears more than once in the header row")
            for name in duplicated
        ]
        if header_problems:
            raise ImportRejected(header_problems)
        header_out[:] = header
        width = len(header)
        for row in reader:
            cells = list(map(str.strip, row))
            if len(cells) != width or not all(cells):
                if not any(cells):
                    continue
                if len(cells) != width:
                    problems.append(
                        ImportProblem(
                            reader.line_num,
                            "",
                            "",
                            f"This row has {len(row)} values but the header has {width}",
                        )
                    )
                    continue
            yield reader.line_num, cells
    except UnicodeDecodeError:
        raise ImportRejected(
            [ImportProblem(None, "", "", "The file must be saved as UTF-8 CSV")]
        ) from None
    except csv.Error as error:
        raise ImportRejected(
            [ImportProblem(None, "", "", f"The file is not valid CSV: {error}")]
        ) from None
    finally:
        if isinstance(source, str) and stream is not None:
            stream.close()

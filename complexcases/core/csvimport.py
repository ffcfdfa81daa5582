"""Reading an uploaded CSV all-or-nothing, with a plain-English reason for every bad cell.

Importers call `read_csv` to get rows with their line numbers, collect `ImportProblem`s
while checking every row (never stopping at the first), and raise `ImportRejected`
with all of them before writing anything.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    ImportProblem(
                        line,
                        "",
                        "",
                        f"This row has {len(row)} values but the header has {len(header)}",
                    )
                )
                continue
            yield CsvRow(line, {name: cell.strip() for name, cell in zip(header, row, strict=True)})
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

"""Reading an uploaded CSV file into rows, with every problem named by line.

UTF-8 (with or without Excel's BOM) or else Windows-1252; commas or
semicolons (French Excel), as found on the header line. Problems are
collected, never raised.
"""

import csv
import io
from dataclasses import dataclass, field

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000


@dataclass(frozen=True)
class ImportProblem:
    line: int | None  # 1-based line of the file (header = 1); None for the whole file
    column: str | None
    code: str
    values: dict = field(default_factory=dict)


class Problems(list):
    def add(self, line, column, code, /, **values):
        self.append(ImportProblem(line, column, code, values))


def _decode(data, problems):
    """The text of `data`: UTF-8 with or without BOM, else Windows-1252; None if
    neither. A NUL byte means neither too (UTF-16, or not text at all), and
    PostgreSQL refuses one in text: it was a 500 when a row was saved."""
    if b"\x00" in data:
        problems.add(data[: data.index(b"\x00")].count(b"\n") + 1, None, "bad_encoding")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        problems.add(data[: error.start].count(b"\n") + 1, None, "bad_encoding")
        return None


def _check_header(header, line, *, columns, required, problems):
    seen = set()
    for name in filter(None, header):  # blank names: Excel's trailing empty columns
        if name in seen:
            problems.add(line, name, "duplicate_column", column=name)
        elif name not in columns:
            problems.add(line, name, "unknown_column", column=name)
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.add(line, name, "missing_column", column=name)


def read_rows(data, *, columns, required):
    """([(line, {column: stripped value}), …], problems) of a CSV file's data rows."""
    problems = Problems()
    if len(data) > MAX_BYTES:
        problems.add(None, None, "file_too_large", max_mb=MAX_BYTES // 2**20)
        return [], problems
    text = _decode(data, problems)
    if text is None:
        return [], problems
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next((cells for cells in reader if any(c.strip() for c in cells)), None)
    if header is None:
        problems.add(1, None, "empty_file")
        return [], problems
    header, header_at = [name.strip().lower() for name in header], reader.line_num
    _check_header(header, header_at, columns=columns, required=required, problems=problems)
    if problems:
        return [], problems

    rows = []
    previous_end = reader.line_num
    for cells in reader:
        # A quoted value may hold line breaks: a row starts after the previous one ends.
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            return [], [ImportProblem(line, None, "too_many_rows", {"max": MAX_ROWS})]  # alone
        if extra := [cell for cell in cells[len(header) :] if cell.strip()]:
            problems.add(
                line, None, "extra_values", expected=len(header), found=len(header) + len(extra)
            )
        row = dict.fromkeys(columns, "")
        row.update((name, cell.strip()) for name, cell in zip(header, cells, strict=False) if name)
        rows.append((line, row))
    if not rows and not problems:
        problems.add(header_at + 1, None, "no_rows")
    return rows, problems

"""CSV that a spreadsheet opens as text, never as formulas (CSV injection).

A spreadsheet runs a cell that starts with = + - or @ (and some strip a
leading tab or carriage return first, or read them as a start too). The
delimiter it splits on is its own guess: a French Excel splits an English
file on ";", so text after any ",", ";", "|" or tab may become a cell of its
own. Hence, in every cell the site writes:

- every piece that could become a cell (the start, and what follows any of
  those delimiters, after spaces) gets an apostrophe before a formula sign;
- a cell starting with a tab or a carriage return gets one too.

Quotes are skipped like spaces when looking for a piece's start: a reader
may take `,"=1"` for a quoted piece.

Every `csv.writer` of the site goes through `csv_writer()`.
"""

import csv

FORMULA_SIGNS = frozenset("=+-@")
DELIMITERS = frozenset(",;|\t\r\n")  # a line break starts a cell too
CONTROL_STARTS = ("\t", "\r")


def safe_cell(value):
    """`value` as text that no spreadsheet takes for a formula."""
    text = "" if value is None else str(value)
    out = []
    prefix = text.startswith(CONTROL_STARTS)
    first_piece, piece_starts = True, True  # at a piece's start, spaces and quotes skipped
    for char in text:
        if piece_starts and char in FORMULA_SIGNS:
            if first_piece:
                prefix = True  # the apostrophe goes first in the cell
            else:
                out.append("'")
        out.append(char)
        if char in DELIMITERS:
            first_piece, piece_starts = False, True
        elif not (char.isspace() or char == '"'):
            piece_starts = False
    safe = "".join(out)
    return "'" + safe if prefix else safe


class _SafeWriter:
    """A csv.writer whose every cell goes through `safe_cell`."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options):
    """`csv.writer(out, **options)` with every cell made safe."""
    return _SafeWriter(csv.writer(out, **options))

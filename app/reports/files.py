"""The reach report as files: CSV, XLSX and JSON, from the lines of
app/reports/exports.py (its docstring says how cells are shown, and why
the CSV follows the conventions of the request's language)."""

import io
from dataclasses import fields

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.i18n import current_language
from app.reports import reach
from app.reports.exports import figure_definitions, lines, not_applicable_rule, suppression_rule
from app.reports.labels import figure_labels, period_label
from app.spreadsheet import csv_writer

# CSV ---------------------------------------------------------------------------------


def _csv_cell(value):
    """Numbers in the page's conventions; text made safe by `csv_writer`."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_decimal(value, "0.0")  # the page's decimal mark, no grouping
    return str(value)


def csv_delimiter():
    return ";" if get_locale().language == "fr" else ","


def to_csv(report, *, threshold, filters, made):
    """UTF-8 with a byte order mark, which is how Excel knows it is UTF-8."""
    out = io.StringIO()
    writer = csv_writer(out, delimiter=csv_delimiter(), lineterminator="\r\n")
    for line in lines(report, threshold=threshold, filters=filters, made=made):
        writer.writerow([_csv_cell(cell) for cell in line.cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# XLSX --------------------------------------------------------------------------------

BOLD = Font(bold=True)
FONTS = {"title": Font(bold=True, size=14), "heading": Font(bold=True, size=12)}
WRAP = Alignment(wrap_text=True, vertical="top")
RIGHT = Alignment(horizontal="right")


def _put(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # Text stays text: openpyxl would store "=…" as a formula.
        cell.data_type = "s"
    return cell


def _reach_sheet(sheet, report_lines):
    width = 2
    for row, line in enumerate(report_lines, start=1):
        width = max(width, len(line.cells))
        for column, value in enumerate(line.cells, start=1):
            cell = _put(sheet, row, column, value)
            if line.kind in FONTS:
                cell.font = FONTS[line.kind]
            elif line.kind in ("header", "total") or (line.kind == "fact" and column == 1):
                cell.font = BOLD
            if line.kind == "header" and column > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right")
            elif line.kind in ("row", "total") and column > 1:
                if isinstance(value, float):
                    cell.number_format = "0.0"
                elif isinstance(value, str):
                    cell.alignment = RIGHT  # "<5" and "x" line up with the numbers
    labels = [
        len(str(line.cells[0])) for line in report_lines if line.kind in ("row", "total", "header")
    ]
    sheet.column_dimensions["A"].width = min(max([30, *labels]) + 2, 60)
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 20
    # The title and the period stay in view, and so do the rows' names.
    sheet.freeze_panes = "B3"


def _definitions_sheet(sheet, threshold):
    labels = figure_labels()
    rows = [
        *((labels[key], text) for key, text in figure_definitions().items()),
        (_("Filters"), not_applicable_rule()),
        (_("Small counts"), suppression_rule(threshold)),
    ]
    for column, value in enumerate((_("Figure"), _("Definition")), start=1):
        _put(sheet, 1, column, value).font = BOLD
    for row, (name, text) in enumerate(rows, start=2):
        _put(sheet, row, 1, name).alignment = WRAP
        _put(sheet, row, 2, text).alignment = WRAP
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 100
    sheet.freeze_panes = "A2"


def to_xlsx(report, *, threshold, filters, made):
    book = Workbook()
    reach_sheet = book.active
    reach_sheet.title = _("Reach")
    _reach_sheet(reach_sheet, lines(report, threshold=threshold, filters=filters, made=made))
    _definitions_sheet(book.create_sheet(_("Definitions")), threshold)
    return workbook_bytes(book, title=f"{_('Reach report')}: {period_label(report.period)}")


def workbook_bytes(book, *, title):
    """The workbook's file, with its author, title and language set."""
    book.properties.creator = "MOBILIS Prévention"
    book.properties.title = title
    book.properties.language = current_language()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# JSON --------------------------------------------------------------------------------


def period_json(period):
    """A period as the JSON files name it (docs/openapi.yaml)."""
    return {
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period_label(period),
    }


def to_json(report, *, threshold):
    """A dict for `jsonify`: values are numbers, the marks "<5" and "x", or
    null where a filter does not concern a figure (docs/openapi.yaml)."""
    return {
        "period": period_json(report.period),
        "previous": period_json(report.previous),
        "filters": {f.name: getattr(report.filters, f.name) for f in fields(reach.Filters)},
        "threshold": threshold,
        "summary": [
            {"figure": key, "label": str(label), "value": value, "previous": before}
            for key, label, value, before in report.summary
        ],
        "tables": [
            {
                "key": table.key,
                "title": str(table.title),
                "row_header": str(table.row_header),
                "columns": [
                    {"figure": figure, "label": str(label)}
                    for figure, label in zip(table.columns, table.column_labels, strict=True)
                ],
                "rows": [
                    {"key": key, "label": str(label), "values": list(values)}
                    for key, label, values in table.rows
                ],
                "totals": list(table.totals),
            }
            for table in report.tables
        ],
    }

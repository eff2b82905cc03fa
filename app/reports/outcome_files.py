"""The outcome report as files: CSV, XLSX and JSON, with its evaluation
sections, from the same suppressed report and sections as the page and the
PDF (outcome_views.py), so that every format shows the same figures.

Lines of cells, as the reach report's files (exports.py, files.py): the CSV
and the XLSX are written from `lines()`, the JSON from the same objects.
"""

import io

from flask_babel import gettext as _
from openpyxl import Workbook

from app.i18n import current_language
from app.regions import data as regions
from app.reports.exports import Line, made_label
from app.reports.files import _csv_cell, _reach_sheet, csv_delimiter, period_json, workbook_bytes
from app.reports.labels import period_label
from app.spreadsheet import csv_writer

CHANGE_FIELDS = (
    "before",
    "before_students",
    "after",
    "after_students",
    "change",
    "lower",
    "upper",
)


def _source(row):
    if not row.indicator.entered:
        return _("The site's records")
    return row.entry.source if row.entry else _("Not entered for this period")


def _change_header(first):
    return Line(
        "header",
        (
            first,
            _("Before (%)"),
            _("Students before"),
            _("After (%)"),
            _("Students after"),
            _("Change (points)"),
            _("%(level)s%% interval: from", level=95),
            _("%(level)s%% interval: to", level=95),
        ),
    )


def _change_lines(rows):
    return [
        Line("row", (row.label, *(getattr(row, name) for name in CHANGE_FIELDS))) for row in rows
    ]


def lines(report, evaluation, method, *, threshold, made):
    """The report and its evaluation sections as lines (`method`: the
    evaluation's method note, `made`: when, in UTC)."""
    current, previous = period_label(report.period), period_label(report.previous)
    found = [
        Line("title", (_("Outcome report"),)),
        Line("fact", (_("Period"), current, report.period.start.isoformat(),
                      report.period.end.isoformat())),
        Line("fact", (_("Previous period"), previous, report.previous.start.isoformat(),
                      report.previous.end.isoformat())),
    ]  # fmt: skip
    if report.within is not None:
        names = ", ".join(regions.label(code, current_language()) for code in report.within)
        found.append(Line("fact", (_("Limited to the regions"), names)))
    found += [
        Line("fact", (_("Made on"), made_label(made))),
        Line("blank", ()),
        Line("header", (_("Indicator"), current, previous, _("Source"), _("Objective"))),
    ]
    for result in report.objectives:
        found += [
            Line("row", (row.indicator.label, row.value, row.previous, _source(row),
                         result.objective.title))
            for row in result.rows
        ]  # fmt: skip
    found += [
        Line("blank", ()),
        Line("heading", (_("Evaluation completed or community feedback received"),)),
        *(Line("row", (figure.label, figure.value)) for figure in evaluation.completed),
        *(Line("row", (_("Teacher's comment"), comment)) for comment, _lang in evaluation.comments),
        Line("blank", ()),
        Line("heading", (_("Summary of the outcomes"),)),
        _change_header(_("Module")),
        *_change_lines(evaluation.knowledge),
        _change_header(_("Statement")),
        *_change_lines(evaluation.confidence),
        Line("blank", ()),
        Line("heading", (_("Summary of the performance measure data collected"),)),
        *(Line("row", (figure.label, figure.value)) for figure in evaluation.performance),
        Line("blank", ()),
        Line("note", (_("Counts from 1 to %(last)s are shown as “<%(threshold)s”; a figure that "
                        "could give one away is shown as “x”.", last=threshold - 1,
                        threshold=threshold),)),
        *(Line("note", (paragraph,)) for paragraph in method),
    ]  # fmt: skip
    return [Line(line.kind, tuple(_plain(cell) for cell in line.cells)) for line in found]


def _plain(cell):
    """Lazy strings as text; numbers and marks as they are."""
    return cell if cell is None or isinstance(cell, int | float) else str(cell)


def to_csv(report_lines):
    out = io.StringIO()
    writer = csv_writer(out, delimiter=csv_delimiter(), lineterminator="\r\n")
    for line in report_lines:
        writer.writerow([_csv_cell(cell) for cell in line.cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report_lines, *, title):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Outcomes")
    _reach_sheet(sheet, report_lines)
    return workbook_bytes(book, title=title)


def to_json(report, evaluation, method, *, threshold):
    """A dict for `jsonify`: the objectives' indicators and the evaluation's
    sections; values are numbers, the marks "<5" and "x", or null."""

    def figures(items):
        return [{"key": f.key, "label": str(f.label), "value": f.value} for f in items]

    def changes(rows):
        return [
            {"key": r.key, "label": str(r.label), **{n: getattr(r, n) for n in CHANGE_FIELDS}}
            for r in rows
        ]

    return {
        "period": period_json(report.period),
        "previous": period_json(report.previous),
        "regions": list(report.within) if report.within is not None else None,
        "threshold": threshold,
        "objectives": [
            {
                "key": result.objective.key,
                "title": str(result.objective.title),
                "indicators": [
                    {
                        "key": row.indicator.key,
                        "label": str(row.indicator.label),
                        "value": row.value,
                        "previous": row.previous,
                        "source": str(_source(row)),
                    }
                    for row in result.rows
                ],
            }
            for result in report.objectives
        ],
        "evaluation": {
            "completed": figures(evaluation.completed),
            "comments": [{"comment": c, "lang": lang} for c, lang in evaluation.comments],
            "knowledge": changes(evaluation.knowledge),
            "confidence": changes(evaluation.confidence),
            "performance": figures(evaluation.performance),
            "method": [str(p) for p in method],
        },
    }

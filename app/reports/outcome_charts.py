"""The outcome report's charts and times, for its page and its PDF.

One unit per chart: counts (people, events, places) and hours do not share
a scale, so an objective gets one chart of its counts and one chart for
each of its times (objectives.Indicator.unit), and a bar is only ever
measured against bars of its own unit. The table beside the charts has
every figure.

A time (the median hours to a first reply) is shown with its n, the number
of replies it is over: "3.0 h (12 replies)". Over fewer replies than the
suppression threshold it is hidden, as the reach report hides it: a median
of two replies is nearly one reply, and "0.0 h" over two questions says
little and tells much. So is it when the count it comes from is hidden (n
would give that count away). The hours are whole hours to a first reply: a
median under one reads "under 1 h".
"""

from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from app.reports import questions, reach
from app.reports.charts import bar_chart
from app.reports.objectives import COUNT, HOURS
from app.reports.suppression import SECONDARY

# Each time indicator: how to find (its value, its n) for a period, and the
# count of the report that n is part of.
TIMES = {"median_reply_hours": (questions.median_reply, "questions_answered")}

# WeasyPrint does not apply the document's styles inside an inline SVG, but
# reads a <style> element of the SVG itself.
PRINT_STYLE = (
    "<style>.chart-bar { fill: #5b2a86; } "
    ".chart-label, .chart-value { font-family: 'MOBILIS Sans', sans-serif; font-size: 14px; "
    "fill: #1d1b22; }</style>"
)


@dataclass(frozen=True)
class Time:
    """A time as shown: its text, and its n (None when it is hidden or there is none)."""

    text: str
    replies: int | None


@dataclass(frozen=True)
class Chart:
    """A chart and the caption that says what it measures."""

    caption: str
    svg: Markup


def hours_text(value):
    """3.0 h, in the page's language; whole hours below one are "under 1 h"."""
    if value < 1:
        return _("under 1 h")
    return _("%(hours)s h", hours=format_decimal(value, "#,##0.0"))


def times(session, report, threshold):
    """{(indicator key, 0 for the period or 1 for the one before): Time} of
    every time indicator of `report` (suppressed, as shown)."""
    filters = reach.Filters(within=report.within)
    shown = {row.indicator.key: (row.value, row.previous) for row in report.rows()}
    found = {}
    for row in report.rows():
        if row.indicator.unit != HOURS:
            continue
        find, count = TIMES[row.indicator.key]
        for index, period in enumerate((report.period, report.previous)):
            _value, replies = find(session, period, filters)
            counted = shown.get(count, (0, 0))[index]
            found[row.indicator.key, index] = _time(
                (row.value, row.previous)[index], replies, counted, threshold
            )
    return found


def _time(value, replies, counted, threshold):
    if value is None:
        return Time("—", None)
    hidden = not isinstance(counted, int) or replies < threshold
    if hidden or not isinstance(value, int | float):
        return Time(_("x (fewer than %(threshold)s replies)", threshold=threshold), None)
    text = ngettext(
        "%(hours)s (%(num)s reply)", "%(hours)s (%(num)s replies)", replies, hours=hours_text(value)
    )
    return Time(text, replies)


def _drawn(value, time):
    """A time's value in a chart: a number only when it is shown."""
    if value is None:
        return "—"
    return value if time.replies is not None else SECONDARY


def objective_charts(report, found_times, labels, prefix, *, compact=False):
    """{objective key: [Chart]}: its counts in one chart, each time in its own
    (this period beside the one before); a chart with no number is left out.
    `labels` are the two periods' names; `compact`: for the PDF's pages."""
    charts = {}
    for result in report.objectives:
        key, drawn = result.objective.key, []
        counts = [
            (str(row.indicator.label), "—" if row.value is None else row.value)
            for row in result.rows
            if row.indicator.unit == COUNT
        ]
        if counts:
            caption = _("Counts: %(period)s", period=labels[0])
            svg = bar_chart(
                f"{prefix}-{key}", caption, counts, description=_describe(), compact=compact
            )
            drawn.append(Chart(caption, svg))
        for row in result.rows:
            if row.indicator.unit != HOURS:
                continue
            items = [
                (labels[i], _drawn(value, found_times[row.indicator.key, i]))
                for i, value in enumerate((row.value, row.previous))
            ]
            if not any(isinstance(value, int | float) for _label, value in items):
                continue
            caption = str(row.indicator.label)  # the bars name the two periods
            svg = bar_chart(
                f"{prefix}-{key}-{row.indicator.key}",
                caption,
                items,
                description=_describe(),
                number_format=hours_text,
                compact=compact,
            )
            drawn.append(Chart(caption, svg))
        charts[key] = drawn
    return charts


def _describe():
    return _("The same figures are in the table with the chart.")


def for_print(charts):
    """The same charts with their colours inside, for the PDF."""
    return {
        key: [Chart(chart.caption, _print_svg(chart.svg)) for chart in drawn]
        for key, drawn in charts.items()
    }


def _print_svg(svg):
    text = str(svg)
    opening = text.index(">") + 1
    return Markup(text[:opening] + PRINT_STYLE + text[opening:])  # noqa: S704  (escaped by bar_chart)

"""The reach report as lines of cells, for the files (app/reports/files.py
writes the CSV, the XLSX and the JSON; the PDF is the template
reports/pdf/reach.html).

Every renderer takes a report that is already suppressed
(`build_report(..., threshold=...)`), so what leaves the partnership shows the
same cells whatever the format: numbers, the marks "<5" and "x", and nothing
where a filter does not concern a figure. The CSV and the XLSX are written
from the same lines (`lines()`).

Words are in the request's language. The CSV follows the spreadsheet
conventions of that language, so that Excel opens it in columns: in French,
cells are separated by ";" and the decimal mark is ","; in English, "," and
".". No cell can be taken for a formula, whatever the delimiter (app/spreadsheet.py).
"""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from app.curriculum.models import CurriculumModule
from app.formats import clause_list, datetime_text
from app.help.messages import topic_labels
from app.i18n import current_language
from app.regions import data as regions
from app.reports.labels import period_label
from app.schools.forms import GRADE_CHOICES
from app.schools.models import School, ServiceCentre


def suppression_rule(threshold):
    return _(
        "Counts from 1 to %(last)s are shown as “<%(threshold)s”. A count that would let a "
        "hidden one be worked out, from a total, from another period or from another table, "
        "is hidden too, shown as “x”. Zeros are shown. The median hours to a first reply is "
        "hidden (“x”) when fewer than %(threshold)s replies make it. Questions and school "
        "requests are counted by region, never by school.",
        last=threshold - 1,
        threshold=threshold,
    )


def not_applicable_rule():
    return _(
        "A filter applies to the figures it concerns: school service centre and school to "
        "sessions, presentations and campaign materials, grade and module to sessions, topic "
        "to questions. An empty cell is a figure the chosen filters do not concern."
    )


def figure_definitions():
    """What each figure counts (reach.py's docstring, in the page's language)."""
    return {
        "schools_visited": _(
            "Distinct schools where a class session was delivered on a day of the period."
        ),
        "visits_done": _("Visits marked done that had a session delivered in the period."),
        "groups_reached": _(
            "Distinct class groups that had a session delivered in the period: a group seen "
            "in three modules counts once."
        ),
        "sessions_delivered": _(
            "Class sessions delivered on a day of the period: a group seen in three modules "
            "counts three times. Sessions count under the school of their visit, the grade of "
            "their class group and the module delivered (or planned, when none was recorded)."
        ),
        "students_reached": _(
            "The sum of the attendance recorded for the sessions delivered in the period: "
            "a student seen in three sessions counts three times."
        ),
        "presentations_held": _("Joint presentations held on a day of the period."),
        "presentation_audience": _(
            "The sum of the audience recorded for the presentations held in the period."
        ),
        "requests_received": _("Requests that schools sent with the public form in the period."),
        "requests_accepted": _("Those of the requests received in the period that were accepted."),
        "campaign_posters": _(
            "Awareness campaign posters handed to schools on a day of the period, as "
            "recorded by the workers (distribution records)."
        ),
        "campaign_flyers": _(
            "Awareness campaign flyers handed to schools on a day of the period, as recorded "
            "by the workers."
        ),
        "campaign_days": _(
            "Campaign days held in schools in the period: a campaign at a school on a day "
            "counts once."
        ),
        "kiosk_students": _(
            "The sum of the students recorded at campaign kiosks in schools in the period: "
            "a student who stopped at two kiosks counts twice."
        ),
        "questions_received": _(
            "Anonymous questions asked in the period, including those deleted since "
            "(their monthly counts are kept)."
        ),
        "questions_answered": _("Questions asked in the period that got a first reply."),
        "questions_urgent": _("Questions asked in the period that were marked urgent."),
        "escalations": _("Escalations recorded for the questions asked in the period."),
        "median_reply_hours": _(
            "The median number of hours between a question and its first reply, over the "
            "questions asked in the period that are still kept (the delays of deleted "
            "questions are not kept)."
        ),
    }


def filter_labels(session, filters):
    """[(filter's name, its value in words)] of the filters in use, and the
    regions the reader is limited to (a file says whose figures it holds)."""
    found = []
    lang = current_language()
    if filters.region is not None:
        found.append((_("Region"), regions.label(filters.region, lang)))
    elif filters.within is not None:
        names = ", ".join(regions.label(code, lang) for code in filters.within)
        found.append((_("Limited to the regions"), names))
    if filters.service_centre_id is not None:
        centre = session.get(ServiceCentre, filters.service_centre_id)
        name = centre.name if centre else f"#{filters.service_centre_id}"
        found.append((_("School service centre"), name))
    if filters.school_id is not None:
        school = session.get(School, filters.school_id)
        found.append((_("School"), school.name if school else f"#{filters.school_id}"))
    if filters.grade is not None:
        found.append((_("Grade"), str(dict(GRADE_CHOICES)[filters.grade])))
    if filters.module_id is not None:
        module = session.get(CurriculumModule, filters.module_id)
        title = module.title(current_language()) if module else f"#{filters.module_id}"
        found.append((_("Module"), title))
    if filters.topic is not None:
        found.append((_("Topic of the questions"), topic_labels()[filters.topic]))
    return found


def made_label(made):
    """When a file was made, in the page's language and the site's time zone."""
    return datetime_text(made)


def filename(report, extension):
    """E.g. rapport-de-portee-annee-scolaire-2026-2027.csv, in the page's language."""
    words = re.sub(r"\W+", "-", f"{_('Reach report')} {period_label(report.period)}")
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    return f"{slug}.{extension}"


@dataclass(frozen=True)
class Line:
    kind: str  # title, fact, blank, header, heading, row, total, note
    cells: tuple


def lines(report, *, threshold, filters, made):
    """The report as lines of cells: what the CSV holds and the XLSX shows.
    `filters` is `filter_labels()`; `made` the moment it was made (UTC)."""
    current, previous = period_label(report.period), period_label(report.previous)
    in_use = clause_list(
        _("%(filter)s: %(value)s", filter=name, value=value) for name, value in filters
    )
    found = [
        Line("title", (_("Reach report"),)),
        Line(
            "fact",
            (
                _("Period"),
                current,
                report.period.start.isoformat(),
                report.period.end.isoformat(),
            ),
        ),
        Line(
            "fact",
            (
                _("Previous period"),
                previous,
                report.previous.start.isoformat(),
                report.previous.end.isoformat(),
            ),
        ),
        Line("fact", (_("Filters"), in_use or _("None"))),
        Line("fact", (_("Made on"), made_label(made))),
        Line("blank", ()),
        Line("header", (_("Figure"), current, previous)),
        *(Line("row", (label, value, before)) for _key, label, value, before in report.summary),
    ]
    for table in report.tables:
        found += [
            Line("blank", ()),
            Line("heading", (table.title,)),
            Line("header", (table.row_header, *table.column_labels)),
            *(Line("row", (label, *values)) for _key, label, values in table.rows),
            Line("total", (_("Total"), *table.totals)),
        ]
    found += [Line("blank", ()), Line("note", (suppression_rule(threshold),))]
    return found

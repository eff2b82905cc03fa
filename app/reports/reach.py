"""The reach figures, computed in the database (GROUP BY), never by loading
rows into Python; the same statements run on SQLite and PostgreSQL.

What each figure counts, for a period [start, end] (dates, inclusive):

- sessions: class sessions delivered on a day of the period; their visit's
  school, the class group's grade, and the module they taught (the one
  recorded: app/visits/records.py) are what the filters and breakdowns use;
- schools visited, class groups reached: distinct schools and class groups
  among those sessions (a group seen in three modules is one group, reached
  three times: three sessions);
- students reached: the sum of the attendance recorded for those sessions;
- visits done: visits marked done with a session delivered in the period;
- presentations held on a day of the period, and their actual audience;
- school requests received in the period, and those of them accepted;
- campaign materials: the posters and flyers handed to schools on a day of
  the period, the campaign days held there (a campaign, a school and a day
  count once: the records refuse a second one) and the students reached at a
  kiosk, from the distribution records (app/campaigns/);
- questions asked in the period: those still in the box plus the monthly
  counts kept when questions are purged (by the month they were asked);
  answered, urgent, escalations likewise; the median hours to a first reply
  is over the questions still in the box.

A filter applies to the figures it concerns: grade and module to sessions,
topic to questions; the figures a filter does not concern are None (campaign
materials go to a school, not to a grade or a module: like presentations).

Regions (a `region` filter, or the regions a coordinator is limited to) apply
to every figure through the school's region: sessions by their visit's
school; presentations by their school, or their service centre when they
name no school; school requests, campaign materials and questions by their
school. What names neither (a question with no school, a request from a
school not yet on the list, a presentation to the public) belongs to no
region and is left out whenever regions apply.
"""

from dataclasses import dataclass, fields

from sqlalchemy import case, distinct, func
from sqlmodel import select

from app.reports.events import (
    CAMPAIGN_FIGURES,
    PRESENTATION_FIGURES,
    REQUEST_FIGURES,
    campaign_figures,
    presentation_figures,
)
from app.reports.questions import QUESTION_FIGURES, question_figures
from app.schools.models import ClassGroup, School
from app.visits.models import ClassSession, SessionStatus, Visit, VisitStatus
from app.visits.records import taught_module_id

SESSION_FIGURES = (
    "schools_visited",
    "visits_done",
    "groups_reached",
    "sessions_delivered",
    "students_reached",
)
FIGURES = (
    SESSION_FIGURES + PRESENTATION_FIGURES + REQUEST_FIGURES + CAMPAIGN_FIGURES + QUESTION_FIGURES
)
# Figures that are not counts: never suppressed, never added up.
NOT_COUNTS = frozenset({"median_reply_hours"})


@dataclass(frozen=True)
class Filters:
    service_centre_id: int | None = None
    school_id: int | None = None
    grade: str | None = None
    module_id: int | None = None
    topic: str | None = None
    region: str | None = None  # a region code chosen in the page (one of `within`)
    within: tuple | None = None  # the codes the reader is limited to; None: every region

    def params(self):
        """The query parameters of the chosen filters (`within` is the
        reader's, never a parameter)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "within" and getattr(self, f.name)
        }

    @property
    def regions(self):
        """The region codes the figures are limited to, or None for all."""
        if self.region is not None:
            return (self.region,)
        return self.within

    @property
    def sessions_only(self):
        return self.grade is not None or self.module_id is not None


# Sessions ------------------------------------------------------------------------

delivered_module = taught_module_id()


def _delivered(query, period, filters, dimension=None):
    """Delivered sessions of the period under `filters`. School and ClassGroup
    are joined only when a filter or the `dimension` reads them: every visit
    has a school and every session a group (NOT NULL foreign keys), so those
    joins drop no row, and SQLite does not leave out unused joins by itself
    (a quarter less time at 1,000,000 sessions: bench/reports.py)."""
    query = (
        query.select_from(ClassSession)
        .join(Visit, Visit.id == ClassSession.visit_id)
        .where(
            ClassSession.status == SessionStatus.DELIVERED,
            ClassSession.on_date >= period.start,
            ClassSession.on_date <= period.end,
        )
    )
    if (
        filters.service_centre_id is not None
        or filters.regions is not None
        or dimension in ("service_centre", "region")
    ):
        query = query.join(School, School.id == Visit.school_id)
    if filters.regions is not None:
        query = query.where(School.region_code.in_(filters.regions))
    if filters.grade is not None or dimension == "grade":
        query = query.join(ClassGroup, ClassGroup.id == ClassSession.class_group_id)
    if filters.service_centre_id is not None:
        query = query.where(School.service_centre_id == filters.service_centre_id)
    if filters.school_id is not None:
        query = query.where(Visit.school_id == filters.school_id)
    if filters.grade is not None:
        query = query.where(ClassGroup.grade == filters.grade)
    if filters.module_id is not None:
        query = query.where(delivered_module == filters.module_id)
    return query


SESSION_COLUMNS = (
    func.count(distinct(ClassSession.class_group_id)),
    func.count(),
    func.coalesce(func.sum(ClassSession.attendance), 0),
)


def session_figures(session, period, filters):
    if filters.topic is not None:
        return dict.fromkeys(SESSION_FIGURES)
    done = case((Visit.status == VisitStatus.DONE, Visit.id), else_=None)
    row = session.exec(
        _delivered(
            select(
                func.count(distinct(Visit.school_id)), func.count(distinct(done)), *SESSION_COLUMNS
            ),
            period,
            filters,
        )
    ).one()
    return dict(zip(SESSION_FIGURES, (int(v) for v in row), strict=True))


SESSION_DIMENSIONS = {
    "service_centre": School.service_centre_id,
    "region": School.region_code,
    "school": Visit.school_id,
    "grade": ClassGroup.grade,
    "module": delivered_module,
}


def sessions_by(session, period, filters, dimension):
    """[(key, groups reached, sessions delivered, students reached)] by `dimension`."""
    if filters.topic is not None:
        return []
    key = SESSION_DIMENSIONS[dimension]
    query = _delivered(select(key, *SESSION_COLUMNS), period, filters, dimension)
    rows = session.exec(query.group_by(key).order_by(key))
    return [(k, int(groups), int(count), int(students)) for k, groups, count, students in rows]


# All of it ------------------------------------------------------------------------------------


def figures(session, period, filters):
    """{figure: value} for the period; None where a filter does not apply."""
    return {
        **session_figures(session, period, filters),
        **presentation_figures(session, period, filters),
        **campaign_figures(session, period, filters),
        **question_figures(session, period, filters),
    }

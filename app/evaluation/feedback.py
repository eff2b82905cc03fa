"""Teachers' feedback on a visit, and the coordinators' decision on it.

A teacher opens the school's share link and rates a visit that has begun
(and ended less than FEEDBACK_DAYS ago), 1 to 5, with a comment if they
like. A comment that names someone (names.py) is refused with the word that
looks like a name, and nothing is saved. Every feedback waits for a
coordinator: only approved ones count in a report; each decision is kept
with who made it and when (`evaluation_feedback_decision`), and a decision
can be changed (the newest counts).
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from app.evaluation.models import FeedbackDecision, FeedbackStatus, TeacherFeedback
from app.evaluation.names import named_people
from app.schools.models import School
from app.visits.models import Visit, VisitStatus

FEEDBACK_DAYS = 180
MAX_COMMENT = 1000


class FeedbackError(Exception):
    """`code`: "rating", "visit", "long" or "names" (`names`: the words)."""

    def __init__(self, code, names=()):
        super().__init__(code)
        self.code, self.names = code, list(names)


def visits_to_rate(session, *, school, today):
    """The school's visits a teacher may rate on `today`, the latest first."""
    return session.exec(
        select(Visit)
        .where(
            Visit.school_id == school.id,
            Visit.status != VisitStatus.CANCELLED,
            Visit.starts_on <= today,
            Visit.ends_on >= today - timedelta(days=FEEDBACK_DAYS),
        )
        .order_by(Visit.starts_on.desc())
    ).all()


def save_feedback(session, *, school, visit_id, rating, comment, lang, today):
    """The saved TeacherFeedback, or FeedbackError (nothing saved)."""
    visit = next(
        (v for v in visits_to_rate(session, school=school, today=today) if v.id == visit_id), None
    )
    if visit is None:
        raise FeedbackError("visit")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise FeedbackError("rating")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise FeedbackError("long")
    names = named_people(comment)
    if names:
        raise FeedbackError("names", names)
    feedback = TeacherFeedback(
        visit_id=visit.id, rating=rating, comment=comment, lang=lang, received_on=today
    )
    session.add(feedback)
    session.flush()
    return feedback


def decide(session, *, feedback, status, by):
    """Approve or reject `feedback` (again, if need be), and log the decision."""
    status = FeedbackStatus(status)
    if status == FeedbackStatus.PENDING:
        raise ValueError("a decision approves or rejects")
    feedback.status = status
    session.add(feedback)
    session.add(FeedbackDecision(feedback_id=feedback.id, user_id=by.id, status=status))
    session.flush()


def listing(session, statement, *, page):
    """One page of `statement` (feedback already limited to the reader's
    regions): [(feedback, visit, school name)], pending first, newest first;
    and the count of all."""
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.execute(  # rows of three: exec() would keep the first only
        page.of(
            statement.add_columns(Visit, School.name)
            .join(Visit, Visit.id == TeacherFeedback.visit_id)
            .join(School, School.id == Visit.school_id)
            .order_by(
                (TeacherFeedback.status != FeedbackStatus.PENDING),
                TeacherFeedback.received_on.desc(),
                TeacherFeedback.id.desc(),
            )
        )
    ).all()
    return rows, total


def decisions(session, feedback_ids):
    """{feedback id: [(status, when, by whom)]}, oldest first."""
    if not feedback_ids:
        return {}
    found = {}
    rows = session.exec(
        select(FeedbackDecision, User.name)
        .join(User, User.id == FeedbackDecision.user_id)
        .where(FeedbackDecision.feedback_id.in_(feedback_ids))
        .order_by(FeedbackDecision.id)
    ).all()
    for decision, name in rows:
        found.setdefault(decision.feedback_id, []).append((decision.status, decision.at, name))
    return found


@dataclass(frozen=True)
class Summary:
    """The teachers' feedback on the visits of a scope (results.Scope)."""

    received: int
    approved: int
    mean_rating: float | None  # of the approved ones
    comments: tuple  # (rating, comment, lang) of approved ones with a comment, latest first


def summary(session, scope, *, comments=5):
    """Counted in the database: visits that began in the scope's period, at
    a school of its regions."""
    where = [Visit.starts_on >= scope.start, Visit.starts_on <= scope.end]
    if scope.within is not None:
        where.append(School.region_code.in_(scope.within))
    if scope.school_id is not None:
        where.append(Visit.school_id == scope.school_id)
    approved = TeacherFeedback.status == FeedbackStatus.APPROVED

    def query(*columns):
        return (
            select(*columns)
            .select_from(TeacherFeedback)
            .join(Visit, Visit.id == TeacherFeedback.visit_id)
            .join(School, School.id == Visit.school_id)
            .where(*where)
        )

    received, accepted, mean = session.exec(
        query(
            func.count(),
            func.sum(sa.case((approved, 1), else_=0)),
            func.avg(sa.case((approved, TeacherFeedback.rating))),
        )
    ).one()
    quoted = session.exec(
        query(TeacherFeedback.rating, TeacherFeedback.comment, TeacherFeedback.lang)
        .where(approved, TeacherFeedback.comment != "")
        .order_by(TeacherFeedback.received_on.desc(), TeacherFeedback.id.desc())
        .limit(comments)
    ).all()
    return Summary(
        received=received,
        approved=accepted or 0,
        mean_rating=float(mean) if mean is not None else None,
        comments=tuple(tuple(row) for row in quoted),
    )

"""What the questionnaires say: per module (and school), the share of correct
answers before and after, the change with its 95 % interval; the same for the
confidence statements (the share who agree: 3 or 4 on the scale).

Counts are summed in the database, by module, wave and statement (and school):
what reaches Python is one row per statement, never one per class.

Which answers count, for a period [start, end] and the reader's regions:
those of the classes whose visit began in the period, at a school of those
regions; and, when a threshold is given, only the waves of a class that
`threshold` students or more answered. A smaller wave is left out of every
figure: so no figure, and no difference between two figures (another period,
another school, a total), is about fewer students than the threshold
(app/reports/suppression.py hides such counts elsewhere).

A wave's share counts each answer to each statement; its interval takes as
its size the number of students (the answers to one statement), not the
number of answers: a student's answers are not independent of one another,
and a share of n students' answers varies no more than one answer of n
students would. The change's interval is then conservative rather than
too narrow.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from app.evaluation.models import AnswerCount, EvaluationCode, Wave, WaveCount
from app.evaluation.questions import CONFIDENCE
from app.evaluation.stats import newcombe
from app.schools.models import School
from app.visits.models import Visit

AGREE = ("3", "4")


@dataclass(frozen=True)
class Share:
    """A wave's answers: `positive` (correct, or agreeing) of `answers`, by
    `students` students."""

    positive: int
    answers: int
    students: int

    @property
    def proportion(self):
        return self.positive / self.answers


@dataclass(frozen=True)
class Change:
    before: Share | None
    after: Share | None

    @property
    def measured(self):
        return self.before is not None and self.after is not None

    def interval(self):
        """(after − before, lower, upper), or None without both waves."""
        if not self.measured:
            return None
        return newcombe(
            self.after.proportion, self.after.students, self.before.proportion, self.before.students
        )


@dataclass(frozen=True)
class Result:
    key: object  # a module id, or a confidence statement's item key
    school_id: int | None  # None: every school of the scope
    change: Change


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    within: tuple | None = None  # region codes; None: every region
    school_id: int | None = None


def _counted(query, scope, threshold):
    """`query` (over AnswerCount or WaveCount) narrowed to the scope's classes
    and, with a threshold, to the waves that many students answered."""
    query = (
        query.join(Visit, Visit.id == EvaluationCode.visit_id)
        .join(School, School.id == Visit.school_id)
        .where(Visit.starts_on >= scope.start, Visit.starts_on <= scope.end)
    )
    if scope.within is not None:
        query = query.where(School.region_code.in_(scope.within))
    if scope.school_id is not None:
        query = query.where(Visit.school_id == scope.school_id)
    if threshold is not None:
        query = query.where(WaveCount.responses >= threshold)
    return query


def _item_sums(session, scope, threshold, *, by_school):
    """[(group key, wave, item, positive, answers)] summed in the database."""
    confidence = AnswerCount.item.startswith(f"{CONFIDENCE}/")
    positive = sa.case(
        (sa.and_(confidence, AnswerCount.answer.in_(AGREE)), AnswerCount.count),
        (sa.and_(~confidence, AnswerCount.answer == "correct"), AnswerCount.count),
        else_=0,
    )
    group = sa.case((confidence, AnswerCount.item), else_=sa.cast(AnswerCount.module_id, sa.String))
    columns = [
        group,
        AnswerCount.wave,
        AnswerCount.item,
        sa.func.sum(positive),
        sa.func.sum(AnswerCount.count),
    ]
    keys = [group, AnswerCount.wave, AnswerCount.item]
    if by_school:
        columns.insert(0, Visit.school_id)
        keys.insert(0, Visit.school_id)
    query = (
        select(*columns)
        .select_from(AnswerCount)
        .join(EvaluationCode, EvaluationCode.id == AnswerCount.code_id)
        .join(
            WaveCount,
            sa.and_(WaveCount.code_id == AnswerCount.code_id, WaveCount.wave == AnswerCount.wave),
        )
    )
    return session.exec(_counted(query, scope, threshold).group_by(*keys)).all()


def results(session, scope, *, threshold, by_school=False):
    """[Result] per module (key: its id) and per confidence statement (key:
    its item key), for the whole scope or (`by_school`) each school."""
    waves = {}  # (school, key) -> {wave: [positive, answers, students]}
    for row in _item_sums(session, scope, threshold, by_school=by_school):
        school, (key, wave, _item, positive, answers) = (
            (row[0], row[1:]) if by_school else (None, row)
        )
        key = key if key.startswith(f"{CONFIDENCE}/") else int(key)
        found = waves.setdefault((school, key), {}).setdefault(Wave(wave), [0, 0, 0])
        found[0] += positive or 0
        found[1] += answers
        found[2] = max(found[2], answers)
    return [
        Result(
            key=key,
            school_id=school,
            change=Change(*(Share(*shares[w]) if w in shares else None for w in Wave)),
        )
        for (school, key), shares in sorted(waves.items(), key=lambda kv: repr(kv[0]))
    ]


@dataclass(frozen=True)
class Completed:
    """The questionnaires done: class waves counted (and left out), classes,
    students who answered each wave."""

    waves: int
    classes: int
    responses: dict  # Wave -> students
    left_out: int  # waves answered by fewer than the threshold


def completed(session, scope, *, threshold):
    """The Completed figures of the scope, counted in the database."""

    def waves_of(*columns):
        return (
            select(*columns)
            .select_from(WaveCount)
            .join(EvaluationCode, EvaluationCode.id == WaveCount.code_id)
        )

    kept = {
        Wave(wave): (count, students)
        for wave, count, students in session.exec(
            _counted(
                waves_of(WaveCount.wave, sa.func.count(), sa.func.sum(WaveCount.responses)),
                scope,
                threshold,
            )
            .where(WaveCount.responses > 0)
            .group_by(WaveCount.wave)
        )
    }
    classes = session.exec(
        _counted(waves_of(sa.func.count(sa.distinct(WaveCount.code_id))), scope, threshold).where(
            WaveCount.responses > 0
        )
    ).one()
    left_out = 0
    if threshold is not None:
        left_out = session.exec(
            _counted(waves_of(sa.func.count()), scope, None).where(
                WaveCount.responses > 0, WaveCount.responses < threshold
            )
        ).one()
    return Completed(
        waves=sum(count for count, _students in kept.values()),
        classes=classes,
        responses={w: kept.get(w, (0, 0))[1] or 0 for w in Wave},
        left_out=left_out,
    )

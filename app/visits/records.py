"""Delivery records: what a class session taught, to how many students, and
who said so.

The reach reports count these records, so they follow three rules:

- a session is recorded as delivered only on or after its day, and never
  with more students present than its class group has;
- a record can be corrected, or withdrawn (the session goes back to
  planned), and every such change is kept in `record_change`: who, when,
  and the fields that changed;
- "which module did a session teach" has one answer, `taught_module_id()`:
  the module recorded at delivery, and none before. The planner (what a
  group still needs) and the reach reports (by module) both ask it.
"""

from dataclasses import asdict, dataclass

from sqlalchemy import case, null
from sqlmodel import select

from app.accounts.models import User
from app.db import utcnow
from app.scheduling.ical import touch
from app.schools.models import ClassGroup
from app.visits.models import (
    ClassSession,
    RecordAction,
    RecordChange,
    SessionStatus,
    VisitStatus,
)
from app.visits.services import VisitError


def taught_module_id():
    """The module a session taught, as a column expression: the one recorded
    at its delivery; NULL while it is not delivered (a planned module was
    not taught yet, a cancelled one never will be)."""
    return case(
        (ClassSession.status == SessionStatus.DELIVERED, ClassSession.delivered_module_id),
        else_=null(),
    )


@dataclass(frozen=True)
class Record:
    """What a worker records after a session: counts only, never a name."""

    attendance: int
    delivered_module_id: int
    attendance_girls: int | None = None
    attendance_boys: int | None = None
    attendance_other: int | None = None
    notes: str = ""


FIELDS = tuple(Record.__dataclass_fields__)


def current_record(class_session):
    """The session's record as a Record, or None when it is not delivered."""
    if class_session.status != SessionStatus.DELIVERED:
        return None
    return Record(**{name: getattr(class_session, name) for name in FIELDS})


def check_record(class_session, *, group, record, today):
    """Raise VisitError when `record` cannot be true of `class_session` today."""
    if class_session.status == SessionStatus.CANCELLED:
        raise VisitError("cancelled")
    if class_session.visit.status == VisitStatus.CANCELLED:
        raise VisitError("visit_cancelled")
    if class_session.on_date > today:
        raise VisitError("too_early", day=class_session.on_date)
    counts = (record.attendance_girls, record.attendance_boys, record.attendance_other)
    parts = [n for n in counts if n is not None]
    if record.attendance < 0 or any(n < 0 for n in parts) or sum(parts) > record.attendance:
        raise VisitError("attendance")
    if group.size is not None and record.attendance > group.size:
        raise VisitError("over_class_size", size=group.size, group=group.name)


def _write(class_session, record):
    values = asdict(record) if record else dict.fromkeys(FIELDS)
    for name, value in values.items():
        setattr(class_session, name, value.strip() if isinstance(value, str) else value)
    if class_session.notes is None:
        class_session.notes = ""


def _plain(value):
    """A value as compared and kept: a blank text is no text."""
    return (value.strip() or None) if isinstance(value, str) else value


def _changes(before, after):
    """{field: [before, after]} of the fields that differ; a note's text is
    not copied into the log, only that it changed."""
    old = asdict(before) if before else dict.fromkeys(FIELDS)
    new = asdict(after) if after else dict.fromkeys(FIELDS)
    found = {}
    for name in FIELDS:
        if _plain(old[name]) != _plain(new[name]):
            found[name] = None if name == "notes" else [old[name], new[name]]
    return found


def _log(session, class_session, action, *, by, changes):
    group = session.get(ClassGroup, class_session.class_group_id)
    session.add(
        RecordChange(
            visit_id=class_session.visit_id,
            class_session_id=class_session.id,
            user_id=by.id if by else None,
            action=action,
            group_name=group.name,
            on_date=class_session.on_date,
            changes=changes,
        )
    )


def record_delivery(session, *, class_session, record, by, today):
    """Record a planned session as delivered (or raise VisitError)."""
    if class_session.status == SessionStatus.DELIVERED:
        raise VisitError("already_delivered")
    group = session.get(ClassGroup, class_session.class_group_id)
    check_record(class_session, group=group, record=record, today=today)
    changes = _changes(None, record)
    _write(class_session, record)
    class_session.status = SessionStatus.DELIVERED
    class_session.delivered_at = utcnow()
    touch(class_session)
    _log(session, class_session, RecordAction.DELIVERED, by=by, changes=changes)
    session.flush()


def correct_delivery(session, *, class_session, record, by, today):
    """Correct a delivered session's record; False when nothing changed
    (nothing is then logged)."""
    if class_session.status != SessionStatus.DELIVERED:
        raise VisitError("not_delivered")
    group = session.get(ClassGroup, class_session.class_group_id)
    check_record(class_session, group=group, record=record, today=today)
    changes = _changes(current_record(class_session), record)
    if not changes:
        return False
    _write(class_session, record)
    touch(class_session)
    _log(session, class_session, RecordAction.CORRECTED, by=by, changes=changes)
    session.flush()
    return True


def withdraw_delivery(session, *, class_session, by):
    """Put a delivered session back to planned: its record leaves the reports."""
    if class_session.status != SessionStatus.DELIVERED:
        raise VisitError("not_delivered")
    changes = _changes(current_record(class_session), None)
    _write(class_session, None)
    class_session.status = SessionStatus.PLANNED
    class_session.delivered_at = None
    touch(class_session)
    _log(session, class_session, RecordAction.WITHDRAWN, by=by, changes=changes)
    session.flush()


def changes_of(session, *, visit=None, class_session=None):
    """[(RecordChange, name of who made it or None)], newest first, of a
    visit's sessions or of one session."""
    query = (
        select(RecordChange, User.name)
        .join(User, User.id == RecordChange.user_id, isouter=True)
        .order_by(RecordChange.at.desc(), RecordChange.id.desc())
    )
    if visit is not None:
        query = query.where(RecordChange.visit_id == visit.id)
    if class_session is not None:
        query = query.where(RecordChange.class_session_id == class_session.id)
    return session.exec(query).all()


def taught_modules(session, *, visit):
    """{session id: the module it taught} for the visit's delivered sessions."""
    rows = session.exec(
        select(ClassSession.id, taught_module_id()).where(
            ClassSession.visit_id == visit.id, taught_module_id().is_not(None)
        )
    ).all()
    return dict(rows)

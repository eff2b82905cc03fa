"""The partner figures behind the outcome report (outcome_report.py).

Partner figures are entered per period (`PartnerFigure`) and never changed:
a correction is a new entry, the latest entry for an indicator and the exact
dates of a period is the figure, and the entries before it are its history.
A figure entered for a quarter is not added into the school year: each
period has its own entries.
"""

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from app.reports.models import PartnerFigure
from app.reports.objectives import PARTNER_KEYS

MAX_VALUE = 1_000_000  # far above any real figure; keeps typos out of the integer column
SOURCE_LENGTH = 300
NOTE_LENGTH = 2000


# Partner figures --------------------------------------------------------------------------


class FigureError(Exception):
    """Entries that cannot be saved: `problems` is {indicator: {field: code}},
    field being value, source, note or indicator; codes: required, count,
    keep (a figure cannot be emptied), too_long, unknown."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def _problems(indicator, value, source, note):
    found = {}
    if indicator not in PARTNER_KEYS:
        return {"indicator": "unknown"}
    if value is None:
        found["value"] = "required"
    elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
        found["value"] = "count"
    if not source:
        found["source"] = "required"
    elif len(source) > SOURCE_LENGTH:
        found["source"] = "too_long"
    if len(note) > NOTE_LENGTH:
        found["note"] = "too_long"
    return found


def _add(session, *, indicator, period, value, source, note, by):
    figure = PartnerFigure(
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
        value=value,
        source=source,
        note=note,
        entered_by_id=by.id if by is not None else None,
    )
    session.add(figure)
    return figure


def enter_figure(session, *, indicator, period, value, source, note="", by):
    """A new entry of a partner's figure for exactly `period`; FigureError
    when the indicator is unknown, the value not a whole number from 0, or
    the source missing."""
    source, note = (source or "").strip(), (note or "").strip()
    problems = _problems(indicator, value, source, note)
    if problems:
        raise FigureError({indicator: problems})
    figure = _add(
        session, indicator=indicator, period=period, value=value, source=source, note=note, by=by
    )
    session.flush()
    return figure


def _changes(session, period, entries):
    """(problems, changes) of a form's entries against the current figures."""
    current = current_figures(session, period)
    problems, changes = {}, []
    for indicator, (value, source, note) in entries.items():
        source, note = (source or "").strip(), (note or "").strip()
        latest = current.get(indicator)
        if indicator in current:
            if latest is None and value is None and not source and not note:
                continue  # nothing entered, nothing typed
            if latest is not None and (value, source, note) == (
                latest.value,
                latest.source,
                latest.note,
            ):
                continue
        found = _problems(indicator, value, source, note)
        if latest is not None and value is None:
            found["value"] = "keep"
        if found:
            problems[indicator] = found
        else:
            changes.append((indicator, value, source, note))
    return problems, changes


def check_figures(session, *, period, entries):
    """The problems `enter_figures` would raise for `entries`, saving nothing."""
    return _changes(session, period, entries)[0]


def enter_figures(session, *, period, entries, by):
    """Save the entries of a form: `entries` is {indicator: (value or None,
    source, note)}. An indicator left empty, or the same as its current
    figure, is skipped; the others get a new entry. All or nothing: one
    problem anywhere raises FigureError and nothing is added. Returns the
    indicators saved."""
    problems, changes = _changes(session, period, entries)
    if problems:
        raise FigureError(problems)
    for indicator, value, source, note in changes:
        _add(
            session,
            indicator=indicator,
            period=period,
            value=value,
            source=source,
            note=note,
            by=by,
        )
    session.flush()
    return [indicator for indicator, *_rest in changes]


def _same_period(query, period):
    return query.where(
        PartnerFigure.period_start == period.start, PartnerFigure.period_end == period.end
    )


def current_figures(session, period):
    """{partner indicator: its latest entry for exactly `period`, or None}.
    Entries are only ever added, so the latest is the highest id."""
    latest = _same_period(
        select(func.max(PartnerFigure.id)).group_by(PartnerFigure.indicator), period
    )
    found = dict.fromkeys(PARTNER_KEYS)
    for figure in session.exec(select(PartnerFigure).where(PartnerFigure.id.in_(latest))):
        if figure.indicator in found:
            found[figure.indicator] = figure
    return found


def history(session, *, indicator, period, page=None):
    """The entries of `indicator` for exactly `period`, newest first: all of
    them, or those of `page` (an app.paging.Page)."""
    query = _same_period(
        select(PartnerFigure).where(PartnerFigure.indicator == indicator), period
    ).order_by(PartnerFigure.id.desc())
    return list(session.exec(page.of(query) if page else query))


def history_count(session, *, indicator, period):
    query = _same_period(
        select(func.count()).select_from(PartnerFigure).where(PartnerFigure.indicator == indicator),
        period,
    )
    return session.exec(query).one()


def entered_by_names(session, figures):
    """{user id: name} of the people who entered `figures`."""
    ids = {f.entered_by_id for f in figures if f.entered_by_id is not None}
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.name).where(User.id.in_(ids))).all())

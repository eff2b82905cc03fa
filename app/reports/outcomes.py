"""The outcome report: each objective's indicators (objectives.py) for a
period beside the period before, and the partner figures behind it.

Partner figures are entered per period (`PartnerFigure`) and never changed:
a correction is a new entry, the latest entry for an indicator and the exact
dates of a period is the figure, and the entries before it are its history.
A figure entered for a quarter is not added into the school year: each
period has its own entries. The site's figures come from `reach.figures`,
with no filter.
"""

from dataclasses import dataclass, replace

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from app.reports import reach
from app.reports.models import PartnerFigure
from app.reports.objectives import OBJECTIVES, PARTNER_KEYS, Indicator, Objective
from app.reports.publication import Publication
from app.reports.suppression import SECONDARY, mark, suppress_value

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


# The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: object  # int, float (a median), None (not entered), or a mark once suppressed
    previous: object
    entry: PartnerFigure | None = None  # a partner figure's entry, for its source
    previous_entry: PartnerFigure | None = None
    # The site's figures: whether the reports hide the value, the previous value
    # (app/reports/publication.py: the same cells as the reach report's).
    hides: tuple = (False, False)

    def hidden(self, threshold):
        """Whether what is shown has this row's value or previous value as a
        mark rather than the count."""
        if not self.indicator.entered:
            return any(self.hides)
        return self.indicator.hide_small and any(
            suppress_value(v, threshold) != v for v in (self.value, self.previous)
        )

    def shown(self, threshold):
        """The row as shown: the site's figures hidden as the reach report
        hides them, the partners' small counts hidden."""
        if not self.indicator.entered:
            value, previous = (
                _mark(self.indicator.key, v, hide, threshold)
                for v, hide in zip((self.value, self.previous), self.hides, strict=True)
            )
            return replace(self, value=value, previous=previous)
        if not self.indicator.hide_small:
            return self
        return replace(
            self,
            value=suppress_value(self.value, threshold),
            previous=suppress_value(self.previous, threshold),
        )


def _mark(key, value, hide, threshold):
    if not hide:
        return value
    return SECONDARY if key in reach.NOT_COUNTS else mark(value, threshold)


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    rows: tuple


@dataclass(frozen=True)
class OutcomeReport:
    period: object
    previous: object
    objectives: tuple
    within: tuple | None = None  # the regions of a limited reader; None: every region

    def rows(self):
        return [row for result in self.objectives for row in result.rows]

    def key_figures(self):
        """[(objective, its rows on the summary page)]."""
        return [
            (result.objective, [row for row in result.rows if row.indicator.key_figure])
            for result in self.objectives
        ]

    def entries(self):
        """The partner entries the report uses, this period's first."""
        return [row.entry for row in self.rows() if row.entry is not None]

    threshold: int = 5

    def suppressed(self, threshold=None):
        """The report as it is shown (the page and the PDF alike): the site's
        figures as every reach report shows them, the partners' counts from 1
        to threshold − 1 as "<threshold". A partner's figure adds up with no
        other shown here, so it needs no second count hidden."""
        if threshold not in (None, self.threshold):
            raise ValueError("the report was made for another threshold")
        return replace(
            self,
            objectives=tuple(
                replace(result, rows=tuple(row.shown(self.threshold) for row in result.rows))
                for result in self.objectives
            ),
        )


def outcome_report(session, period, within=None, *, threshold=5):
    """Every objective with each indicator's value for `period` and for the
    period before: the site's figures with no filter, the partners' latest
    entries for exactly those dates (None where none was entered).
    `suppressed()` gives it as it is shown, with `threshold`.

    For a reader limited to regions (`within`), the site's figures are those
    regions' and the partners' figures, which belong to no region, are None."""
    previous = period.previous()
    filters = reach.Filters(within=within)
    publication = Publication(session, threshold)
    computed = {
        p: {key: publication.found(key, p, filters) or (None, False) for key in reach.FIGURES}
        for p in (period, previous)
    }
    entered = {p: current_figures(session, p) for p in (period, previous)}

    def row(indicator):
        if indicator.entered and within is not None:
            return Row(indicator, None, None)
        if not indicator.entered:
            (now, hide_now), (before, hide_before) = (
                computed[p][indicator.key] for p in (period, previous)
            )
            return Row(indicator, now, before, hides=(hide_now, hide_before))
        now, before = entered[period][indicator.key], entered[previous][indicator.key]
        return Row(
            indicator,
            now.value if now else None,
            before.value if before else None,
            entry=now,
            previous_entry=before,
        )

    return OutcomeReport(
        period=period,
        previous=previous,
        objectives=tuple(
            ObjectiveResult(objective, tuple(row(i) for i in objective.indicators))
            for objective in OBJECTIVES
        ),
        within=within,
        threshold=threshold,
    )

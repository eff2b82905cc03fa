"""The outcome report: each objective's indicators (objectives.py) for a
period beside the period before. The site's figures come from the reach
figures with no filter, hidden as the reach report hides them
(publication.py); the partners' come from their entries (outcomes.py)."""

from dataclasses import dataclass, replace

from app.reports import reach
from app.reports.models import PartnerFigure
from app.reports.objectives import OBJECTIVES, Indicator, Objective
from app.reports.outcomes import current_figures
from app.reports.publication import Publication
from app.reports.suppression import SECONDARY, mark, suppress_value


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

"""Reporting periods: school year (July–June), fiscal year (April–March),
calendar year, quarter or month; and the period before each.

Reports cover a month, a quarter or a school year, never dates of one's
choosing: two ranges a day apart would give away the counts of that day,
however well each report hides its small counts. Months make quarters and
quarters make school years, and the reports hide small counts across that
tree (app/reports/cube.py). A fiscal or a calendar year would straddle two
school years: its figures could be subtracted from theirs, so reports do
not offer them either (`make()` still knows them, for code that keeps its
figures inside the partnership).

Pure: no database, no request. `period_from(args, today)` reads the
report's query parameters (`period`, `year`, `quarter`, `month`) and raises
PeriodError on values that make no period ("range" when dates are asked
for). A `Period("range", start, end)` can still be made in code, for counts
that never leave the partnership.
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

# The units of the reports' tree: a school year is four quarters, a quarter
# three months.
KINDS = ("school_year", "quarter", "month")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive
    year: int | None = None  # the year it starts in (school and fiscal years too)
    number: int | None = None  # the quarter (1–4) or the month (1–12)

    def previous(self):
        """The period just before: the same kind, one step back; a range of
        the same length ending the day before it starts."""
        if self.kind == "range":
            length = self.end - self.start
            end = self.start - timedelta(days=1)
            return Period("range", end - length, end)
        if self.kind == "quarter":
            year, number = (self.year, self.number - 1) if self.number > 1 else (self.year - 1, 4)
            return make(self.kind, year, number)
        if self.kind == "month":
            year, number = (self.year, self.number - 1) if self.number > 1 else (self.year - 1, 12)
            return make(self.kind, year, number)
        return make(self.kind, self.year - 1)

    def params(self):
        """The query parameters that name this period."""
        if self.kind == "range":
            return {"period": "range", "start": self.start.isoformat(), "end": self.end.isoformat()}
        found = {"period": self.kind, "year": self.year}
        if self.kind in ("quarter", "month"):
            found[self.kind] = self.number
        return found

    def utc_bounds(self):
        """The period's UTC instants [from, to), for the timestamps."""
        start = datetime.combine(self.start, time(0), UTC)
        return start, datetime.combine(self.end + timedelta(days=1), time(0), UTC)

    @property
    def school_year(self):
        """The school year this period starts in."""
        return self.start.year if self.start.month >= 7 else self.start.year - 1


def quarters(period):
    """The quarters that make `period` (a year or a quarter); PeriodError
    for a month or a range."""
    if period.kind == "quarter":
        return [period]
    if period.kind not in ("school_year", "fiscal_year", "calendar_year"):
        raise PeriodError(period.kind)
    first = make("quarter", period.start.year, (period.start.month - 1) // 3 + 1)
    found = [first]
    while len(found) < 4:
        last = found[-1]
        year, number = (last.year, last.number + 1) if last.number < 4 else (last.year + 1, 1)
        found.append(make("quarter", year, number))
    return found


def months(period):
    """The months that make a quarter or a school year, in order."""
    found = []
    for quarter in quarters(period):
        first = quarter.start.month
        found += [make("month", quarter.year, m) for m in range(first, first + 3)]
    return found


def make(kind, year, number=None):
    if kind == "school_year":
        return Period(kind, date(year, 7, 1), date(year + 1, 6, 30), year)
    if kind == "fiscal_year":
        return Period(kind, date(year, 4, 1), date(year + 1, 3, 31), year)
    if kind == "calendar_year":
        return Period(kind, date(year, 1, 1), date(year, 12, 31), year)
    if kind == "quarter":
        first = 3 * (number - 1) + 1
        last = first + 2
        end = date(year, last, calendar.monthrange(year, last)[1])
        return Period(kind, date(year, first, 1), end, year, number)
    if kind == "month":
        end = date(year, number, calendar.monthrange(year, number)[1])
        return Period(kind, date(year, number, 1), end, year, number)
    raise PeriodError(kind)


def current(kind, today):
    """The period of `kind` that holds `today`."""
    if kind == "school_year":
        return make(kind, today.year if today.month >= 7 else today.year - 1)
    if kind == "fiscal_year":
        return make(kind, today.year if today.month >= 4 else today.year - 1)
    if kind == "quarter":
        return make(kind, today.year, (today.month - 1) // 3 + 1)
    if kind == "month":
        return make(kind, today.year, today.month)
    return make("calendar_year", today.year)


def _int(args, name, low, high):
    try:
        value = int(args.get(name, ""))
    except ValueError:
        raise PeriodError(name) from None
    if not low <= value <= high:
        raise PeriodError(name)
    return value


def period_from(args, today):
    """The period named by `args` (a mapping of query parameters); the
    current school year when nothing is given."""
    kind = args.get("period") or "school_year"
    if kind == "range" or (kind not in KINDS and (args.get("start") or args.get("end"))):
        raise PeriodError("range")
    if kind in ("fiscal_year", "calendar_year"):
        raise PeriodError("straddles")
    if kind not in KINDS:
        raise PeriodError("period")
    if not args.get("year"):
        return current(kind, today)
    year = _int(args, "year", 2000, 2100)
    if kind == "quarter":
        return make(kind, year, _int(args, "quarter", 1, 4))
    if kind == "month":
        return make(kind, year, _int(args, "month", 1, 12))
    return make(kind, year)

"""Small-count suppression for anything that leaves the partnership.

Primary: a count from 1 to threshold − 1 is shown as "<5" (threshold 5 by
default, the REPORT_SUPPRESSION_THRESHOLD setting); zeros stay visible.

Secondary: in a table, each column has a total (the sum of its rows). When a
column has exactly one hidden cell and its total is shown, that cell could be
worked out by subtracting the others from the total, so the smallest other
non-zero cell of the column is hidden too (shown as "x"). (When the total is
small it is hidden itself, and then nothing can be worked out.) The figures
of a table's row (e.g. sessions and students) are different measures: they
are never added across, so only columns count.

Pure functions on plain numbers: the same rule for CSV, XLSX, PDF and JSON.
"""

SECONDARY = "x"


def small(threshold):
    return f"<{threshold}"


def suppress_value(value, threshold):
    """One figure on its own: primary suppression only."""
    if isinstance(value, int) and 0 < value < threshold:
        return small(threshold)
    return value


def suppress_columns(rows, totals, threshold):
    """(rows, totals) with counts hidden: `rows` is a list of lists of counts
    (a row per category, a column per measure), `totals` the column sums.

    Only columns flagged as counts are suppressed: pass None in `totals` for a
    column that is not a count (e.g. a median), and it is left alone.
    """
    shown = [list(row) for row in rows]
    shown_totals = list(totals)
    for col, total in enumerate(totals):
        if total is None:
            continue
        values = [row[col] for row in rows]
        hidden = [i for i, v in enumerate(values) if 0 < v < threshold]
        shown_totals[col] = suppress_value(total, threshold)
        if len(hidden) == 1 and isinstance(shown_totals[col], int):
            # The total is shown exactly, so it is not the hidden cell alone:
            # there is another non-zero cell to hide with it.
            others = [(v, i) for i, v in enumerate(values) if v > 0 and i != hidden[0]]
            shown[min(others)[1]][col] = SECONDARY
        for i in hidden:
            shown[i][col] = small(threshold)
    return shown, shown_totals

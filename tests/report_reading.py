"""Reading an answer of the reports' API as the attacker's equations
(tests/report_attack.py): each figure it shows or hides, as a sum of atoms,
and the zeros of the rows it leaves out."""

from datetime import date

from tests.report_attack import ANY, atoms, period_of

# Reading what the reports publish ---------------------------------------------------------

TABLE_ROWS = {  # table key -> what its row keys are
    "sessions_by_region": "region",
    "sessions_by_service_centre": "centre",
    "sessions_by_school": "school",
    "sessions_by_grade": "grade",
    "sessions_by_module": "module",
    "presentations_by_audience": "audience",
    "presentations_by_region": "region",
    "questions_by_topic": "topic",
    "questions_by_region": "region",
    "questions_by_school": "school",  # published before questions stopped at the region
    "campaigns_by_campaign": "campaign",
}
ROW_TYPES = {"centre": int, "school": int, "module": int}
NOT_EQUATIONS = ("schools_visited", "median_reply_hours")  # not sums of counts


def _row(kind, key):
    if key == "none":  # what names no region (or no school)
        return None
    if kind == "region":
        return key
    return ROW_TYPES.get(kind, str)(key)


def _narrowed(scope, other, kind, value):
    """The scope and breakdown of a row; (None, None) for a row the reader
    cannot have."""
    regions, centre, school = scope
    if kind == "region":
        if regions is not None and value not in regions:
            return None, None
        return ((value,), centre, school), other
    if kind == "centre":
        return ((regions, value, school), other) if centre in (None, value) else (None, None)
    if kind == "school":
        return ((regions, centre, value), other) if school in (None, value) else (None, None)
    if other not in (ANY, (kind, value)):
        return None, None
    return scope, (kind, value)


def equations(world, body):
    """[(figure, atom set, value)] of one answer of the API: every number and
    mark it shows, and the zeros of the rows it leaves out."""
    chosen = body["filters"]
    if chosen["region"]:
        regions = (chosen["region"],)
    else:
        regions = tuple(chosen["within"]) if chosen["within"] else None
    scope = (regions, chosen["service_centre_id"], chosen["school_id"])
    other = ANY
    for dim, name in (("grade", "grade"), ("module", "module_id"), ("topic", "topic")):
        if chosen[name] is not None:
            other = (dim, chosen[name])
    now, before = (
        period_of(p["kind"], date.fromisoformat(p["start"]))
        for p in (body["period"], body["previous"])
    )
    found = []

    def add(figure, period, where, what, value):
        if value is None or where is None or figure in NOT_EQUATIONS:
            return
        cells = atoms(world, figure, period, where, what)
        if cells:
            found.append((figure, cells, value))

    for item in body["summary"]:
        add(item["figure"], now, scope, other, item["value"])
        add(item["figure"], before, scope, other, item["previous"])
    for table in body["tables"]:
        kind = TABLE_ROWS[table["key"]]
        columns = [c["figure"] for c in table["columns"]]
        listed = set()
        for row in table["rows"]:
            value = _row(kind, row["key"])
            listed.add(value)
            where, what = _narrowed(scope, other, kind, value)
            for figure, shown in zip(columns, row["values"], strict=True):
                add(figure, now, where, what, shown)
        for value in world.rows[kind]:
            if value not in listed:  # a row left out has nothing: zeros
                where, what = _narrowed(scope, other, kind, value)
                for figure in columns:
                    add(figure, now, where, what, 0)
        for figure, total in zip(columns, table["totals"], strict=True):
            add(figure, now, scope, other, total)
    return found

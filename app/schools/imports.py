"""CSV import of schools and of class groups: every row valid, or nothing created.

The file is read as UTF-8 (with or without Excel's BOM) or else Windows-1252,
with commas or semicolons (French Excel) as found on the header line. Problems
are returned, never raised: each names a line of the file (header = 1), a
column and a stable `code` with the `values` its message needs; the view
translates them. Nothing is added to the session unless there is none.
"""

import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlmodel import select

from app.regions import data as regions
from app.schools.csvrows import read_rows
from app.schools.models import GRADES, BellPeriod, ClassGroup, School, ServiceCentre
from app.schools.services import BadBellSchedule, parse_bell_schedule
from app.spreadsheet import csv_writer

MIN_GROUP_SIZE, MAX_GROUP_SIZE = 1, 60

SCHOOL_COLUMNS = (
    "name",
    "service_centre",
    "city",
    "region",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "periods",
)
# "region": a region's code or name ("16", "Montérégie", "Montérégie (16)"),
# or empty for the region of the school's service centre.
SCHOOL_REQUIRED = ("name", "service_centre", "city")
SCHOOL_FIELDS = tuple(c for c in SCHOOL_COLUMNS if c not in ("service_centre", "region", "periods"))
CLASS_GROUP_COLUMNS = ("grade", "name", "teacher_name", "size")
CLASS_GROUP_REQUIRED = ("grade", "name")
GROUP_TEXT = ("name", "teacher_name")  # stored as written; grade and size are parsed

# Code → keys of its `values`. A message may also show the problem's line and column.
PROBLEM_VALUES = {
    "file_too_large": ("max_mb",),
    "bad_encoding": (),
    "empty_file": (),
    "no_rows": (),
    "too_many_rows": ("max",),
    "unknown_column": ("column",),
    "missing_column": ("column",),
    "duplicate_column": ("column",),
    "extra_values": ("expected", "found"),
    "required": (),
    "too_long": ("max",),
    "unknown_service_centre": ("name",),
    "unknown_region": ("value",),
    "bad_email": ("value",),
    "bad_time_range": ("period",),
    "bad_grade": ("value", "choices"),
    "bad_number": ("value", "min", "max"),
    "duplicate": ("name", "first_line"),
    "already_exists": ("name",),
}


def problem_codes():
    """Every code a problem can have, so that each can be given a message."""
    return tuple(PROBLEM_VALUES)


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def _check_text(line, row, model, *, required, stored, problems):
    """`required` problems, and `too_long` for the `stored` values (the lengths of `model`)."""
    for name, value in row.items():
        length = model.__table__.c[name].type.length if name in stored else None
        if not value and name in required:
            problems.add(line, name, "required")
        elif length and len(value) > length:
            problems.add(line, name, "too_long", max=length)


def _check_duplicates(keyed_rows, *, problems):
    """`duplicate` problems of the (line, key, name) rows whose key an earlier row has."""
    first_lines = {}
    for line, key, name in keyed_rows:
        if key in first_lines:
            problems.add(line, "name", "duplicate", name=name, first_line=first_lines[key])
        else:
            first_lines[key] = line


def import_schools(session, *, data: bytes) -> ImportResult:
    """Create the schools of a CSV file (with their bell periods), or report why not."""
    rows, problems = read_rows(data, columns=SCHOOL_COLUMNS, required=SCHOOL_REQUIRED)
    if problems:
        return ImportResult(problems=list(problems))

    names = {row["service_centre"] for _, row in rows}
    centres = {
        c.name: c for c in session.exec(select(ServiceCentre).where(ServiceCentre.name.in_(names)))
    }
    existing = set(
        session.exec(
            select(School.service_centre_id, School.name).where(
                School.service_centre_id.in_([c.id for c in centres.values()])
            )
        ).all()
    )
    valid = []
    for line, row in rows:
        _check_text(
            line, row, School, required=SCHOOL_REQUIRED, stored=SCHOOL_FIELDS, problems=problems
        )
        centre = centres.get(row["service_centre"])
        if row["service_centre"] and centre is None:
            problems.add(
                line, "service_centre", "unknown_service_centre", name=row["service_centre"]
            )
        region_code = regions.match(row["region"]) if row["region"] else None
        if row["region"] and region_code is None:
            problems.add(line, "region", "unknown_region", value=row["region"])
        if row["contact_email"]:
            try:
                validate_email(row["contact_email"], check_deliverability=False)
            except EmailNotValidError:
                problems.add(line, "contact_email", "bad_email", value=row["contact_email"])
        try:
            periods = parse_bell_schedule(row["periods"])
        except BadBellSchedule as error:
            period = error.values.get("period", row["periods"])
            problems.add(line, "periods", "bad_time_range", period=period)
            periods = []
        if centre is not None and row["name"]:
            if (centre.id, row["name"]) in existing:
                problems.add(line, "name", "already_exists", name=row["name"])
            valid.append((line, centre, {**row, "region_code": region_code}, periods))
    _check_duplicates(
        ((ln, (c.id, r["name"]), r["name"]) for ln, c, r, _ in valid), problems=problems
    )
    if problems:
        return ImportResult(problems=sorted(problems, key=_problem_order))

    schools = [
        School(
            service_centre_id=centre.id,
            region_code=row["region_code"] or centre.region_code,
            **{name: row[name] for name in SCHOOL_FIELDS},
            periods=[
                BellPeriod(number=number, starts_at=start, ends_at=end)
                for number, (start, end) in enumerate(periods, start=1)
            ],
        )
        for _, centre, row, periods in valid
    ]
    session.add_all(schools)
    session.flush()
    return ImportResult(created=schools)


def normalise_grade(text):
    """'sec2' from 'sec2', 'Sec 2', 'SEC2' or '2'; None if it is no grade."""
    compact = "".join(text.split()).lower()
    grade = f"sec{compact}" if compact.isdigit() else compact
    return grade if grade in GRADES else None


def _parse_size(text):
    if text.isascii() and text.isdigit() and MIN_GROUP_SIZE <= int(text) <= MAX_GROUP_SIZE:
        return int(text)
    return None


def import_class_groups(session, *, data: bytes, school, school_year) -> ImportResult:
    """Create the class groups of a CSV file in `school` for `school_year`, or report why not."""
    rows, problems = read_rows(data, columns=CLASS_GROUP_COLUMNS, required=CLASS_GROUP_REQUIRED)
    if problems:
        return ImportResult(problems=list(problems))

    existing = set(
        session.exec(
            select(ClassGroup.name).where(
                ClassGroup.school_id == school.id, ClassGroup.school_year_id == school_year.id
            )
        ).all()
    )
    groups = []
    for line, row in rows:
        _check_text(
            line,
            row,
            ClassGroup,
            required=CLASS_GROUP_REQUIRED,
            stored=GROUP_TEXT,
            problems=problems,
        )
        grade, size = normalise_grade(row["grade"]), _parse_size(row["size"])
        if row["grade"] and grade is None:
            problems.add(line, "grade", "bad_grade", value=row["grade"], choices=", ".join(GRADES))
        if row["size"] and size is None:
            values = {"value": row["size"], "min": MIN_GROUP_SIZE, "max": MAX_GROUP_SIZE}
            problems.add(line, "size", "bad_number", **values)
        if row["name"] in existing:
            problems.add(line, "name", "already_exists", name=row["name"])
        groups.append(
            ClassGroup(
                school_id=school.id,
                school_year_id=school_year.id,
                grade=grade or "",
                name=row["name"],
                teacher_name=row["teacher_name"],
                size=size,
            )
        )
    named = [(line, row["name"], row["name"]) for line, row in rows if row["name"]]
    _check_duplicates(named, problems=problems)
    if problems:
        return ImportResult(problems=sorted(problems, key=_problem_order))

    session.add_all(groups)
    session.flush()
    return ImportResult(created=groups)


def _problem_order(problem):
    return problem.line or 0


def _template(columns, example):
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow([example[name] for name in columns])
    return out.getvalue()


def schools_template_csv() -> str:
    """A header and one example school, for people to fill in (the view adds a BOM)."""
    return _template(
        SCHOOL_COLUMNS,
        {
            "name": "École secondaire Exemple",
            "service_centre": "Centre de services scolaire Marie-Victorin",
            "city": "Longueuil",
            "region": "Montérégie",
            "address": "123, rue Principale",
            "contact_name": "Julie Tremblay",
            "contact_email": "direction@exemple.qc.ca",
            "contact_phone": "450 555-0123",
            "periods": "08:15-09:30 09:40-10:55 11:05-12:20 13:20-14:35",
        },
    )


def class_groups_template_csv() -> str:
    """A header and one example class group (the view adds a BOM)."""
    return _template(
        CLASS_GROUP_COLUMNS,
        {"grade": "sec2", "name": "201", "teacher_name": "Marc Gagnon", "size": "28"},
    )

"""CSV import of schools and class groups: encodings, problems, all or nothing."""

from datetime import date, time

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.schools import csvrows, imports
from app.schools.csvrows import ImportProblem
from app.schools.imports import (
    class_groups_template_csv,
    import_class_groups,
    import_schools,
    problem_codes,
    schools_template_csv,
)
from app.schools.models import BellPeriod, ClassGroup, School, SchoolYear, ServiceCentre

CENTRE = "Centre de services scolaire Marie-Victorin"
SCHOOL_HEADER = "name,service_centre,city,region,address,contact_email,periods\n"


@pytest.fixture
def centre(db):
    centre = ServiceCentre(name=CENTRE, region_code="16")
    db.add(centre)
    db.commit()
    return centre


@pytest.fixture
def school(db, centre):
    school = School(
        name="École secondaire Jacques-Rousseau",
        service_centre_id=centre.id,
        city="Longueuil",
        region_code="16",
    )
    db.add(school)
    db.commit()
    return school


@pytest.fixture
def year(db):
    year = SchoolYear(label="2026-2027", starts_on=date(2026, 8, 27), ends_on=date(2027, 6, 22))
    db.add(year)
    db.commit()
    return year


def count(db, model):
    return db.exec(select(func.count()).select_from(model)).one()


def school_row(name, *, city="Longueuil", email="", periods=""):
    return f"{name},{CENTRE},{city},Montérégie,,{email},{periods}\n"


def test_valid_schools_file_creates_schools_with_bell_periods(db, centre):
    data = (
        "name,service_centre,city,region,address,contact_name,contact_email,contact_phone,periods\n"
        f'École secondaire Gérard-Filion,{CENTRE},Longueuil,Montérégie,"1330, boul. Curé-Poirier",'
        "Julie Roy,jroy@example.org,450 555-0100,08:15-09:30 09:40-10:55 11:05-12:20 13:20-14:35\n"
        f"École Saint-Edmond,{CENTRE},Greenfield Park,Montérégie,,,,,\n"
    ).encode()

    result = import_schools(db, data=data)
    db.commit()

    assert result.problems == []
    assert all(s.id is not None for s in result.created)  # flushed
    assert [s.name for s in result.created] == [
        "École secondaire Gérard-Filion",
        "École Saint-Edmond",
    ]
    db.expunge_all()
    filion = db.exec(select(School).where(School.name == "École secondaire Gérard-Filion")).one()
    assert filion.service_centre_id == centre.id
    assert filion.address == "1330, boul. Curé-Poirier"
    assert (filion.contact_name, filion.contact_email) == ("Julie Roy", "jroy@example.org")
    assert [(p.number, p.starts_at, p.ends_at) for p in filion.periods] == [
        (1, time(8, 15), time(9, 30)),
        (2, time(9, 40), time(10, 55)),
        (3, time(11, 5), time(12, 20)),
        (4, time(13, 20), time(14, 35)),
    ]
    edmond = db.exec(select(School).where(School.name == "École Saint-Edmond")).one()
    assert (edmond.city, edmond.periods, edmond.contact_email) == ("Greenfield Park", [], "")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_excel_encodings_and_delimiters(db, centre, encoding, delimiter):
    lines = [
        ["region", "city", "name", "service_centre", "periods"],  # any order
        ["Montérégie", "Brossard", "École Sainte-Thérèse", CENTRE, "08:00-09:15 09:20-10:35"],
    ]
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"

    result = import_schools(db, data=text.encode(encoding))

    assert result.problems == []
    (created,) = result.created
    assert (created.name, created.region_code) == ("École Sainte-Thérèse", "16")
    assert len(created.periods) == 2


def test_header_names_forgive_case_and_spaces_and_trailing_empty_columns(db, centre):
    data = f" Name ;SERVICE_CENTRE;city;region;;\n201 École;{CENTRE};Laval;Laval;;\n".encode()

    result = import_schools(db, data=data)

    assert result.problems == []
    assert result.created[0].name == "201 École"


def test_valid_class_groups_file_normalises_grades(db, school, year):
    data = (
        "grade;name;teacher_name;size\n"
        "1;101;Marie Tremblay;28\n"
        "sec 2;201;;\n"
        "Sec3;301;Luc Côté;32\n"
        "SEC5;501;; 60 \n"
    ).encode("cp1252")

    result = import_class_groups(db, data=data, school=school, school_year=year)
    db.commit()

    assert result.problems == []
    db.expunge_all()
    groups = db.exec(select(ClassGroup).order_by(ClassGroup.name)).all()
    assert [(g.grade, g.name, g.teacher_name, g.size) for g in groups] == [
        ("sec1", "101", "Marie Tremblay", 28),
        ("sec2", "201", "", None),
        ("sec3", "301", "Luc Côté", 32),
        ("sec5", "501", "", 60),
    ]
    assert {(g.school_id, g.school_year_id) for g in groups} == {(school.id, year.id)}


# (kind, file, expected problems as (line, column, code, values)), one case or more per code.
PROBLEM_CASES = {
    "empty_file": ("schools", b"", [(1, None, "empty_file", {})]),
    "empty_file_blank_lines": ("groups", b"\r\n \r\n", [(1, None, "empty_file", {})]),
    "no_rows": ("groups", b"grade,name\r\n", [(2, None, "no_rows", {})]),
    "bad_encoding": (
        "groups",
        b"grade,name\n1,101\n2,\x81\x8d\n",  # neither UTF-8 nor Windows-1252
        [(3, None, "bad_encoding", {})],
    ),
    "unknown_and_missing_column": (
        "schools",
        f"name,service_centre,ville,region\nA,{CENTRE},Laval,Laval\n".encode(),
        [
            (1, "ville", "unknown_column", {"column": "ville"}),
            (1, "city", "missing_column", {"column": "city"}),
        ],
    ),
    "duplicate_column": (
        "groups",
        b"grade,name,name\n1,101,102\n",
        [(1, "name", "duplicate_column", {"column": "name"})],
    ),
    "extra_values": (
        "groups",
        b"grade,name\n1,101\n1,102,Mme Roy\n",
        [(3, None, "extra_values", {"expected": 2, "found": 3})],
    ),
    "required": (
        "schools",
        (SCHOOL_HEADER + school_row("École A") + school_row("École B", city=" ")).encode(),
        [(3, "city", "required", {})],
    ),
    "required_grade_and_name": (
        "groups",
        b"grade,name,size\n1,101,20\n,,20\n",
        [(3, "grade", "required", {}), (3, "name", "required", {})],
    ),
    "too_long": (
        "groups",
        ("grade,name\n1," + "x" * 41 + "\n").encode(),
        [(2, "name", "too_long", {"max": 40})],
    ),
    "unknown_service_centre": (
        "schools",
        (SCHOOL_HEADER + "École A,CSS Marie-Victorin,Longueuil,Montérégie,,,\n").encode(),
        [(2, "service_centre", "unknown_service_centre", {"name": "CSS Marie-Victorin"})],
    ),
    "unknown_region": (
        "schools",
        (SCHOOL_HEADER + f"École A,{CENTRE},Longueuil,Rive-Sud,,,\n").encode(),
        [(2, "region", "unknown_region", {"value": "Rive-Sud"})],
    ),
    "bad_email": (
        "schools",
        (SCHOOL_HEADER + school_row("École A", email="direction@")).encode(),
        [(2, "contact_email", "bad_email", {"value": "direction@"})],
    ),
    "bad_time_range_overlap": (
        "schools",
        (SCHOOL_HEADER + school_row("École A", periods="08:15-09:30 09:20-10:30")).encode(),
        [(2, "periods", "bad_time_range", {"period": "09:20-10:30"})],
    ),
    "bad_time_range_backwards": (
        "schools",
        (SCHOOL_HEADER + school_row("École A", periods="09:30-08:15")).encode(),
        [(2, "periods", "bad_time_range", {"period": "09:30-08:15"})],
    ),
    "bad_time_range_not_a_time": (
        "schools",
        (SCHOOL_HEADER + school_row("École A", periods="8h15-9h30")).encode(),
        [(2, "periods", "bad_time_range", {"period": "8h15-9h30"})],
    ),
    "bad_grade": (
        "groups",
        b"grade,name\nsec6,601\n",
        [(2, "grade", "bad_grade", {"value": "sec6", "choices": "sec1, sec2, sec3, sec4, sec5"})],
    ),
    "bad_number": (
        "groups",
        b"grade,name,size\n1,101,0\n1,102,61\n1,103,25.5\n1,104,vingt\n1,105,\xef\xbc\x92\n",
        [
            (line, "size", "bad_number", {"value": value, "min": 1, "max": 60})
            for line, value in [(2, "0"), (3, "61"), (4, "25.5"), (5, "vingt"), (6, "２")]
        ],
    ),
    "duplicate_in_file": (
        "groups",
        b"grade,name\n1,101\n2,201\n2,201\n",
        [(4, "name", "duplicate", {"name": "201", "first_line": 3})],
    ),
    "duplicate_school_in_file": (
        "schools",
        (SCHOOL_HEADER + school_row("École A") + school_row("École A", city="Laval")).encode(),
        [(3, "name", "duplicate", {"name": "École A", "first_line": 2})],
    ),
    "already_exists": (
        "schools",
        (SCHOOL_HEADER + school_row("École secondaire Jacques-Rousseau")).encode(),
        [(2, "name", "already_exists", {"name": "École secondaire Jacques-Rousseau"})],
    ),
    "already_exists_group": (
        "groups",
        b"grade,name\n1,101\n3,EXISTING\n",
        [(3, "name", "already_exists", {"name": "EXISTING"})],
    ),
    "too_many_rows": (
        "groups",
        ("grade,name\n" + "".join(f"1,{n}\n" for n in range(csvrows.MAX_ROWS + 1))).encode(),
        [(csvrows.MAX_ROWS + 2, None, "too_many_rows", {"max": csvrows.MAX_ROWS})],
    ),
    "file_too_large": (
        "groups",
        b"grade,name,teacher_name\n1,101," + b"x" * csvrows.MAX_BYTES + b"\n",
        [(None, None, "file_too_large", {"max_mb": 1})],
    ),
}


def run_import(db, kind, data, *, school, year):
    if kind == "schools":
        return import_schools(db, data=data)
    return import_class_groups(db, data=data, school=school, school_year=year)


@pytest.mark.parametrize("case", PROBLEM_CASES)
def test_bad_files_report_problems_and_create_nothing(db, school, year, case):
    kind, data, expected = PROBLEM_CASES[case]
    db.add(ClassGroup(school_id=school.id, school_year_id=year.id, grade="sec3", name="EXISTING"))
    db.commit()

    result = run_import(db, kind, data, school=school, year=year)

    assert result.problems == [ImportProblem(*problem) for problem in expected]
    for problem in result.problems:
        assert set(problem.values) == set(imports.PROBLEM_VALUES[problem.code])
    assert result.created == []
    assert not db.new
    db.rollback()
    assert count(db, School) == 1
    assert count(db, ClassGroup) == 1
    assert count(db, BellPeriod) == 0


def test_every_problem_code_is_exercised_and_described():
    produced = {problem[2] for _, _, expected in PROBLEM_CASES.values() for problem in expected}
    assert produced == set(problem_codes())
    assert set(problem_codes()) == set(imports.PROBLEM_VALUES)


def test_one_bad_row_among_good_ones_creates_nothing(db, centre):
    rows = [school_row(f"École {n}", periods="08:00-09:00") for n in range(1, 6)]
    rows[3] = school_row("École 4", email="pas une adresse")
    data = (SCHOOL_HEADER + "".join(rows)).encode()

    result = import_schools(db, data=data)

    assert [(p.line, p.code) for p in result.problems] == [(5, "bad_email")]
    assert result.created == []
    db.commit()
    assert count(db, School) == 0
    assert count(db, BellPeriod) == 0


def test_class_group_names_are_unique_per_school_and_year_only(db, centre, school, year):
    other_school = School(
        name="École Saint-Jean", service_centre_id=centre.id, city="Laval", region_code="13"
    )
    other_year = SchoolYear(
        label="2025-2026", starts_on=date(2025, 8, 28), ends_on=date(2026, 6, 23)
    )
    db.add_all([other_school, other_year])
    db.flush()
    db.add_all(
        [
            ClassGroup(school_id=other_school.id, school_year_id=year.id, grade="sec2", name="201"),
            ClassGroup(school_id=school.id, school_year_id=other_year.id, grade="sec2", name="201"),
        ]
    )
    db.commit()

    result = import_class_groups(db, data=b"grade,name\n2,201\n", school=school, school_year=year)

    assert result.problems == []
    db.commit()
    assert count(db, ClassGroup) == 3


def test_same_school_name_in_another_service_centre_is_allowed(db, school):
    db.add(ServiceCentre(name="Centre de services scolaire des Patriotes", region_code="16"))
    db.commit()
    data = (
        SCHOOL_HEADER
        + "École secondaire Jacques-Rousseau,Centre de services scolaire des Patriotes,"
        "Beloeil,Montérégie,,,\n"
    ).encode()

    result = import_schools(db, data=data)

    assert result.problems == []
    assert len(result.created) == 1


def test_line_numbers_count_quoted_line_breaks(db, centre):
    data = (
        SCHOOL_HEADER
        + f'École A,{CENTRE},Longueuil,Montérégie,"12, rue Principale\nbureau 3",,\n'
        + school_row("École B", periods="25:00-26:00")
    ).encode()

    result = import_schools(db, data=data)

    assert [(p.line, p.column) for p in result.problems] == [(4, "periods")]


def test_the_row_limit_itself_is_accepted(db, school, year):
    data = ("grade,name\n" + "".join(f"1,{n}\n" for n in range(csvrows.MAX_ROWS))).encode()

    result = import_class_groups(db, data=data, school=school, school_year=year)

    assert result.problems == []
    assert len(result.created) == csvrows.MAX_ROWS


def test_templates_import_without_problems(db, school, year):
    assert schools_template_csv().startswith("name,service_centre,")
    schools = import_schools(db, data=schools_template_csv().encode("utf-8-sig"))
    groups = import_class_groups(
        db, data=class_groups_template_csv().encode("utf-8-sig"), school=school, school_year=year
    )

    assert (schools.problems, groups.problems) == ([], [])
    assert schools.created[0].service_centre_id == school.service_centre_id
    assert len(schools.created[0].periods) == 4
    assert [(g.grade, g.name) for g in groups.created] == [("sec2", "201")]


def test_the_region_is_a_code_or_a_name_or_the_centres(db, centre):
    data = (
        "name,service_centre,city,region\n"
        f"École Un,{CENTRE},Laval,13\n"
        f"École Deux,{CENTRE},Montréal,MONTREAL\n"
        f"École Trois,{CENTRE},Québec,Capitale-Nationale (03)\n"
        f"École Quatre,{CENTRE},Longueuil,\n"
    ).encode()

    result = import_schools(db, data=data)

    assert result.problems == []
    assert [(s.name, s.region_code) for s in result.created] == [
        ("École Un", "13"),
        ("École Deux", "06"),
        ("École Trois", "03"),
        ("École Quatre", "16"),  # the centre's
    ]


def test_an_unknown_region_is_a_problem_and_imports_nothing(db, centre):
    data = (
        f"name,service_centre,city,region\nÉcole Un,{CENTRE},Laval,Laval\n"
        f"École Deux,{CENTRE},Longueuil,Rive-Sud\nÉcole Trois,{CENTRE},Laval,18\n"
    ).encode()

    result = import_schools(db, data=data)

    assert [(p.line, p.column, p.code, p.values) for p in result.problems] == [
        (3, "region", "unknown_region", {"value": "Rive-Sud"}),
        (4, "region", "unknown_region", {"value": "18"}),
    ]
    assert result.created == []
    db.commit()
    assert count(db, School) == 0

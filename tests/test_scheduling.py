"""The scheduling package's place in the house: below visits and
presentations, the one writer of iCalendar, and what it reads of their
tables matches their models."""

import ast
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import app.migrations.tables  # noqa: F401  (registers every table)
from app.presentations.models import PresentationStatus
from app.scheduling import tables
from app.visits.models import SessionStatus, VisitStatus


@pytest.mark.parametrize(
    "clause",
    [
        tables.visit,
        tables.class_session,
        tables.session_presenter,
        tables.presentation,
        tables.presentation_presenter,
    ],
    ids=lambda clause: clause.name,
)
def test_the_table_clauses_name_real_columns_of_the_same_type(clause):
    model = SQLModel.metadata.tables[clause.name]
    for column in clause.c:
        assert column.name in model.c, f"{clause.name}.{column.name}"
        # Of the same kind: a string enum or SQLModel's AutoString is a String.
        kind = model.c[column.name].type._type_affinity
        assert kind is column.type._type_affinity, f"{clause.name}.{column.name}"


def test_cancelled_is_the_status_of_every_kind():
    assert tables.CANCELLED == SessionStatus.CANCELLED == PresentationStatus.CANCELLED
    assert tables.CANCELLED == VisitStatus.CANCELLED


APP = Path(__file__).resolve().parent.parent / "app"


def imports_of(package):
    """{module path: every module it imports}, imports inside functions too
    (`from app import x` counts as app.x)."""
    found = {}
    for path in sorted((APP / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "app":
                names.update(f"app.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(APP.parent))] = names
    return found


def test_scheduling_imports_neither_domain_and_presentations_not_visits():
    """Visits and presentations share scheduling, and only visits uses the
    other (a school's request for a visit; presentations in a person's
    agenda and feed): no cycle between them."""
    for package, above in (
        ("scheduling", ("app.visits", "app.presentations", "app.distribution")),
        ("presentations", ("app.visits",)),
    ):
        for module, names in imports_of(package).items():
            assert not [name for name in names if name.startswith(above)], module


def test_icalendar_is_written_in_one_place():
    users = [
        module
        for package in ("visits", "presentations", "scheduling", "distribution", "schools")
        for module, names in imports_of(package).items()
        if any(name.split(".")[0] == "icalendar" for name in names)
    ]
    assert users == ["app/scheduling/ical.py"]


@pytest.mark.parametrize("package", ["visits", "presentations", "scheduling"])
def test_no_module_passes_300_lines(package):
    long = {
        str(path.relative_to(APP.parent)): n
        for path in (APP / package).rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 300
    }
    assert long == {}

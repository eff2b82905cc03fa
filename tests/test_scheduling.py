"""The scheduling package's place in the house: what it reads of the visits'
and presentations' tables matches their models."""

import pytest
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
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

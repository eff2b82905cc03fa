"""Counting a student's answers into their class's counts.

A submission adds one to its wave's count of responses, if the wave is open
and the class has not reached its cap, and one to the count of each
(item, answer) given; it leaves nothing else: no row of its own, no time.
Each count is added by one statement that inserts it or adds to it (an
upsert), so that a whole class sending at the same second, on several app
hosts, loses none and never fails on a duplicate. The cap is checked by the
update that adds the response (`responses < cap`): two students cannot both
take the last place.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.evaluation.models import AnswerCount, WaveCount
from app.evaluation.questions import CONFIDENCE, item_key

# A statement's answers, as counted.
CORRECT, WRONG, UNSURE = "correct", "wrong", "unsure"
CONFIDENCE_ANSWERS = ("1", "2", "3", "4")


class EvaluationError(Exception):
    """A submission that cannot count: `code` is "closed", "full" or "items"."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Item:
    """One question of a class's questionnaire, as the form asks it."""

    key: str  # the item key answers are counted under
    module: object  # CurriculumModule, or None for a confidence statement
    statement: object  # questions.Statement or questions.ConfidenceItem

    @property
    def confidence(self):
        return self.module is None


def items_of(questionnaire, questions):
    """The statements of the class's modules, then the confidence statements."""
    found = [
        Item(item_key(module.slug, statement.key), module, statement)
        for module in questionnaire.modules
        for statement in questions.of_module(module.slug)
    ]
    found += [Item(item_key(CONFIDENCE, c.key), None, c) for c in questions.confidence]
    return found


def counted_answer(item, given):
    """What is counted for the answer `given` ("true", "false", "unsure", "1"…"4")."""
    if item.confidence:
        return given if given in CONFIDENCE_ANSWERS else None
    if given == "unsure":
        return UNSURE
    if given in ("true", "false"):
        return CORRECT if (given == "true") == item.statement.answer else WRONG
    return None


def _insert(session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _take_a_place(session, *, code, wave, cap):
    """Add one response to the wave unless it holds `cap` already; whether it did."""
    table = WaveCount.__table__
    session.execute(
        _insert(session)(table)
        .values(code_id=code.id, wave=wave.value, responses=0)
        .on_conflict_do_nothing(index_elements=["code_id", "wave"])
    )
    added = session.execute(
        sa.update(table)
        .where(table.c.code_id == code.id, table.c.wave == wave.value, table.c.responses < cap)
        .values(responses=table.c.responses + 1)
    )
    return added.rowcount == 1


def _count(session, *, code, wave, item, answer):
    table = AnswerCount.__table__
    module_id = item.module.id if item.module is not None else None
    session.execute(
        _insert(session)(table)
        .values(
            code_id=code.id,
            wave=wave.value,
            item=item.key,
            answer=answer,
            module_id=module_id,
            count=1,
        )
        .on_conflict_do_update(
            index_elements=["code_id", "wave", "item", "answer"],
            set_={"count": table.c.count + 1},
        )
    )


def record_answers(session, *, questionnaire, items, wave, answers, today):
    """Count one student's `answers` ({item key: answer given}) for `wave`.

    Every item must be answered (the form says which are missing first);
    EvaluationError when the wave is not open on `today` or is full.
    Nothing is counted then."""
    if wave not in questionnaire.open_waves(today):
        raise EvaluationError("closed")
    counted = {item.key: counted_answer(item, answers.get(item.key)) for item in items}
    if not items or None in counted.values():
        raise EvaluationError("items")
    if not _take_a_place(session, code=questionnaire.code, wave=wave, cap=questionnaire.cap):
        raise EvaluationError("full")
    for item in items:
        _count(session, code=questionnaire.code, wave=wave, item=item, answer=counted[item.key])
    session.flush()


def responses(session, *, code, wave):
    """How many students of the class sent `wave` so far."""
    row = session.get(WaveCount, (code.id, wave.value))
    return row.responses if row is not None else 0

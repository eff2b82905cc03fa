"""Results with their uncertainty: per module (and school), the share of
correct answers before and after and the change with Newcombe's interval;
the confidence statements likewise; a class wave answered by fewer students
than the threshold is left out of every figure."""

from datetime import date, timedelta

import pytest

from app.evaluation import results
from app.evaluation.models import Wave
from app.evaluation.stats import newcombe
from tests.evaluation_factory import TODAY, class_questionnaire, send
from tests.visits_factory import add_session, make_visit

YEAR = results.Scope(date(2026, 7, 1), date(2027, 6, 30))
HELP = "confidence/get-help"


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def classes(app, db, setting, today):
    """Group 201 sees `recruiters` today and `online` a week later (both
    waves ask both); group 301 sees `recruiters` once. 201: 20 before (1 of
    4 right), 18 after (3 of 4); 301: 3 before and 3 after (all right)."""
    visit = make_visit(db, setting, start=TODAY)
    add_session(db, visit, setting, group=0, module=0, day=TODAY)
    add_session(db, visit, setting, group=0, module=1, day=TODAY + timedelta(days=8), period=2)
    add_session(db, visit, setting, group=1, module=0, day=TODAY + timedelta(days=1))
    db.commit()
    big = class_questionnaire(app, db, visit, setting["groups"][0])
    send(db, *big, Wave.BEFORE, students=20, right=1, agree="2")
    send(db, *big, Wave.AFTER, students=18, right=3, agree="3")
    small = class_questionnaire(app, db, visit, setting["groups"][1])
    send(db, *small, Wave.BEFORE, students=3, right=4)
    send(db, *small, Wave.AFTER, students=3, right=4)
    return {"visit": visit, "module": setting["modules"][0], "school": setting["school"]}


def _by_key(found):
    return {r.key: r.change for r in found}


def test_the_change_and_its_interval_per_module(db, classes):
    change = _by_key(results.results(db, YEAR, threshold=5))[classes["module"].id]
    assert change.before == results.Share(positive=20, answers=80, students=20)
    assert change.after == results.Share(positive=54, answers=72, students=18)
    difference, lower, upper = change.interval()
    assert (difference, lower, upper) == pytest.approx(newcombe(0.75, 18, 0.25, 20))
    assert difference == pytest.approx(0.5)
    assert 0.1 < lower < 0.5 < upper < 0.9


def test_a_wave_under_the_threshold_counts_nowhere_and_without_one_everywhere(db, classes):
    kept = results.completed(db, YEAR, threshold=5)
    assert (kept.waves, kept.classes, kept.left_out) == (2, 1, 2)
    assert kept.responses == {Wave.BEFORE: 20, Wave.AFTER: 18}
    everything = results.completed(db, YEAR, threshold=None)
    assert (everything.waves, everything.classes, everything.left_out) == (4, 2, 0)
    change = _by_key(results.results(db, YEAR, threshold=None))[classes["module"].id]
    assert change.before == results.Share(positive=32, answers=92, students=23)


def test_the_confidence_statements_count_those_who_agree(db, classes):
    change = _by_key(results.results(db, YEAR, threshold=5))[HELP]
    assert change.before == results.Share(positive=0, answers=20, students=20)
    assert change.after == results.Share(positive=18, answers=18, students=18)
    assert change.interval()[1] > 0.7


def test_results_by_school_region_and_period(db, classes, create_school, create_group, setting):
    found = results.results(db, YEAR, threshold=5, by_school=True)
    assert {r.school_id for r in found} == {classes["school"].id}
    elsewhere = results.Scope(YEAR.start, YEAR.end, within=("13",))
    assert results.results(db, elsewhere, threshold=5) == []
    assert results.completed(db, elsewhere, threshold=5).waves == 0
    mine = results.Scope(YEAR.start, YEAR.end, within=(classes["school"].region_code,))
    assert len(results.results(db, mine, threshold=5)) == 4  # two modules, two statements
    november = results.Scope(date(2026, 11, 1), date(2026, 11, 30))
    assert results.results(db, november, threshold=5) == []
    one_school = results.Scope(YEAR.start, YEAR.end, school_id=classes["school"].id + 1)
    assert results.results(db, one_school, threshold=5) == []


def test_a_change_needs_both_waves(db, classes, app, setting):
    visit = make_visit(db, setting, start=TODAY + timedelta(days=21))
    add_session(db, visit, setting, group=1, module=1, day=TODAY + timedelta(days=21))
    db.commit()
    only_before = class_questionnaire(app, db, visit, setting["groups"][1])
    send(db, *only_before, Wave.BEFORE, students=6, right=2)
    later = results.Scope(TODAY + timedelta(days=21), YEAR.end)
    change = _by_key(results.results(db, later, threshold=5))[setting["modules"][1].id]
    assert change.after is None and change.interval() is None

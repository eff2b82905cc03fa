"""The demo data includes evaluations: the done visit's classes answered both
waves, teachers left feedback (one approved), and the outcome report shows a
measured change."""

from datetime import date

from sqlmodel import select

from app.evaluation import results
from app.evaluation.models import FeedbackStatus, TeacherFeedback, Wave, WaveCount


def test_the_demo_visit_was_evaluated_once(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counted = db.exec(select(WaveCount)).all()
    assert counted and {row.wave for row in counted} == set(Wave)
    assert all(row.responses >= 5 for row in counted)
    year = results.Scope(date(2026, 7, 1), date(2027, 6, 30))
    found = results.results(db, year, threshold=5)
    modules = [r for r in found if isinstance(r.key, int)]
    assert modules and all(r.change.interval()[0] > 0 for r in modules)
    assert {f.status for f in db.exec(select(TeacherFeedback))} == {
        FeedbackStatus.APPROVED,
        FeedbackStatus.PENDING,
    }
    before = [(row.code_id, row.wave, row.responses) for row in counted]
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.expire_all()
    assert [(r.code_id, r.wave, r.responses) for r in db.exec(select(WaveCount))] == before
    assert len(db.exec(select(TeacherFeedback)).all()) == 2

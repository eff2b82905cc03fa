"""Demonstration evaluations: the past demo visit's classes answered their
questionnaire before and after (through the same counting as a student's
phone, app/evaluation/services.py), and teachers left feedback, one approved.
Idempotent: nothing is added once any answer is counted."""

import random

from flask import current_app
from sqlmodel import select

from app.accounts.models import User
from app.evaluation import codes, feedback, services, waves
from app.evaluation.models import FeedbackStatus, TeacherFeedback, Wave, WaveCount
from app.security import Role
from app.visits.models import Visit, VisitStatus

# The share of statements a student gets right, and of students who agree,
# before and after: what a workshop that works looks like.
RIGHT = {Wave.BEFORE: 0.5, Wave.AFTER: 0.8}
AGREE = {Wave.BEFORE: 0.45, Wave.AFTER: 0.8}
COMMENTS = (
    (5, "Les élèves en parlent encore une semaine plus tard. L’atelier sur les recruteurs "
        "les a beaucoup fait réfléchir.", FeedbackStatus.APPROVED),
    (4, "Très bon atelier, un peu court pour tout couvrir avec mon groupe.", None),
)  # fmt: skip


def _student(items, wave, draw):
    """One student's answers: right with the wave's chance, else wrong or unsure."""
    answers = {}
    for item in items:
        if item.confidence:
            agree = draw.random() < AGREE[wave]
            answers[item.key] = draw.choice(("3", "4") if agree else ("1", "2"))
        elif draw.random() < RIGHT[wave]:
            answers[item.key] = "true" if item.statement.answer else "false"
        else:
            answers[item.key] = draw.choice(
                ("unsure", "false" if item.statement.answer else "true")
            )
    return answers


def seed_evaluation(session):
    """The done demo visit's classes through both waves, and two feedbacks."""
    if session.exec(select(WaveCount)).first() is not None:
        return
    visit = session.exec(select(Visit).where(Visit.status == VisitStatus.DONE)).first()
    if visit is None:
        return
    key = current_app.config["EVALUATION_CODE_KEY"]
    questions = current_app.extensions["evaluation"].get()
    draw = random.Random(23)  # noqa: S311  (the same demo every time, no secret)
    for code in codes.codes_of_visit(session, key, visit=visit).values():
        found = waves.questionnaire_of(session, code)
        items = services.items_of(found, questions)
        for wave in Wave:
            for _student_number in range(found.cap * 3 // 4 - draw.randint(0, 3)):
                services.record_answers(
                    session, questionnaire=found, items=items, wave=wave,
                    answers=_student(items, wave, draw), today=found.days[wave],
                )  # fmt: skip
    coordinator = session.exec(select(User).where(User.role == Role.COORDINATOR)).first()
    for rating, comment, status in COMMENTS:
        row = TeacherFeedback(
            visit_id=visit.id, rating=rating, comment=comment, lang="fr", received_on=visit.ends_on
        )
        session.add(row)
        session.flush()
        if status and coordinator is not None:
            feedback.decide(session, feedback=row, status=status, by=coordinator)

"""A teacher rates a visit through the school's share link; a comment that
names someone is refused; a coordinator approves or rejects each feedback
before any report counts it, and each decision is kept."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.evaluation.models import FeedbackDecision, FeedbackStatus, TeacherFeedback
from app.evaluation.names import named_people
from app.security import Role
from app.visits import sharing
from tests.conftest import AuthActions, extract_csrf_token
from tests.evaluation_factory import TODAY
from tests.visits_factory import add_session, make_visit


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def shared(db, setting, today):
    visit = make_visit(db, setting, start=TODAY)
    add_session(db, visit, setting, group=0, module=0, day=TODAY)
    later = make_visit(db, setting, start=TODAY + timedelta(days=35))
    made = sharing.issue_token(db, school=setting["school"], lang="fr")
    db.commit()
    return {"visit": visit, "later": later, "token": made.token}


def _send(client, token, lang="en", **data):
    path = f"/{lang}/s/{token}/feedback"
    csrf = extract_csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": csrf, **data})


def _saved(db):
    db.expire_all()
    return db.exec(select(TeacherFeedback)).all()


def test_the_share_page_leads_to_the_form_of_the_visits_begun(app, db, shared):
    client = app.test_client()
    page = client.get(f"/en/s/{shared['token']}/").get_data(as_text=True)
    assert f'href="/en/s/{shared["token"]}/feedback"' in page
    form = client.get(f"/en/s/{shared['token']}/feedback")
    assert form.headers["Cache-Control"] == "no-store"
    html = form.get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="(\d+)"', html)
    assert options == [str(shared["visit"].id)], "only the visits begun"
    assert "5 — essential" in html


def test_a_rating_and_a_comment_wait_for_a_coordinator(app, db, shared):
    response = _send(
        app.test_client(), shared["token"], visit_id=shared["visit"].id, rating="4",
        comment="Les élèves ont posé beaucoup de questions. Très utile!",
    )  # fmt: skip
    assert "Thank you for your opinion" in response.get_data(as_text=True)
    (saved,) = _saved(db)
    assert (saved.rating, saved.status, saved.received_on) == (4, FeedbackStatus.PENDING, TODAY)
    assert saved.comment.startswith("Les élèves ont posé")


@pytest.mark.parametrize(
    ("comment", "named"),
    [
        ("Léa et Mathis ont adoré l’atelier.", "Léa”, “Mathis"),
        ("Mon élève Kayden s’est confié après.", "Kayden"),
        ("Thanks to Samuel Tremblay, great presenter.", "Samuel"),
        ("Jordan B. was upset, we followed up.", "Jordan"),
    ],
)
def test_a_comment_that_names_someone_is_refused(app, db, shared, comment, named):
    response = _send(
        app.test_client(), shared["token"], visit_id=shared["visit"].id, rating="5",
        comment=comment,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "Your comment seems to name someone (“" + named + "”)" in page.replace("&#34;", '"')
    assert 'aria-invalid="true"' in page and _saved(db) == []


def test_words_that_are_not_names_pass(app):
    for text in (
        "Claire explication, les jeunes de l’école Jacques-Rousseau ont aimé.",
        "Atelier à Saint-Jean. La DPJ et Tel-jeunes étaient bien expliqués.",
        "Great workshop. Students asked about consent.",
    ):
        assert named_people(text) == [], text


def test_bad_ratings_other_schools_visits_and_dead_links(app, db, shared, setting, create_school):
    client = app.test_client()
    page = _send(client, shared["token"], visit_id=shared["visit"].id, rating="6").get_data(
        as_text=True
    )
    assert "Not a valid choice" in page
    page = _send(client, shared["token"], visit_id=shared["visit"].id).get_data(as_text=True)
    assert "Choose a rating from 1 to 5." in page
    page = _send(client, shared["token"], visit_id=shared["later"].id, rating="3")
    assert "Not a valid choice" in page.get_data(as_text=True)
    assert _saved(db) == []
    assert client.get("/en/s/not-a-token/feedback").status_code == 404
    sharing.revoke_token(db, school=setting["school"])
    db.commit()
    assert client.get(f"/en/s/{shared['token']}/feedback").status_code == 404


def test_a_coordinator_approves_then_rejects_and_each_decision_is_kept(
    app, db, shared, create_user
):
    _send(app.test_client(), shared["token"], visit_id=shared["visit"].id, rating="2",
          comment="Trop court pour mes groupes.")  # fmt: skip
    (saved,) = _saved(db)
    coordinator = create_user(Role.COORDINATOR, name="Camille Coordination")
    client = app.test_client()
    AuthActions(client).login(coordinator.email, lang="en")
    page = client.get("/en/evaluation/feedback/").get_data(as_text=True)
    assert "Trop court pour mes groupes." in page and "Waiting for a decision" in page
    csrf = extract_csrf_token(page)
    decide = f"/en/evaluation/feedback/{saved.id}/decide"
    assert client.post(decide, data={"csrf_token": csrf, "status": "approved"}).status_code == 302
    assert _saved(db)[0].status == FeedbackStatus.APPROVED
    client.post(decide, data={"csrf_token": csrf, "status": "rejected"})
    client.post(decide, data={"csrf_token": csrf, "status": "pending"})
    assert _saved(db)[0].status == FeedbackStatus.REJECTED
    decisions = db.exec(select(FeedbackDecision).order_by(FeedbackDecision.id)).all()
    assert [(d.status, d.user_id) for d in decisions] == [
        (FeedbackStatus.APPROVED, coordinator.id),
        (FeedbackStatus.REJECTED, coordinator.id),
    ]
    page = client.get("/en/evaluation/feedback/").get_data(as_text=True)
    assert page.count("by Camille Coordination on") == 2

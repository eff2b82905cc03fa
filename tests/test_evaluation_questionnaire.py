"""A class answers its questionnaire on a phone, with no sign-in: the "before"
wave on its first session's day, the "after" wave on its last, each from the
day before to the day after; answers are counted per class, wave and item,
with no row per student, no time and nothing about the phone; a wave takes
at most the class's size × 1.2; bad input and floods get clear answers."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.evaluation.models import AnswerCount, Wave, WaveCount
from tests.evaluation_factory import TODAY, all_right, answer, code_of, read_form
from tests.visits_factory import add_session, make_visit

RIGHT = [True, False, True, False]  # the test module's statements (curriculum_factory)
ADDRESS, BROWSER, REFERRER = "203.0.113.77", "Pixel-Browser/9.1 (eval)", "https://poster.example/x"


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def visit(db, setting, today):
    """Group 201 sees `recruiters` today and `online` a week later."""
    made = make_visit(db, setting, start=TODAY)
    add_session(db, made, setting, group=0, module=0, day=TODAY)
    add_session(db, made, setting, group=0, module=1, day=TODAY + timedelta(days=8), period=2)
    db.commit()
    return made


def _url(app, db, visit, group, lang="fr", query=""):
    return f"/{lang}/q/{code_of(app, db, visit, group)}/{query}"


def _counts(db, wave):
    db.expire_all()
    rows = db.exec(select(AnswerCount).where(AnswerCount.wave == wave)).all()
    return {(row.item, row.answer): row.count for row in rows}


def _responses(db, wave):
    db.expire_all()
    row = db.exec(select(WaveCount).where(WaveCount.wave == wave)).first()
    return row.responses if row else 0


def test_the_before_wave_asks_the_modules_statements_and_counts_the_answers(
    app,
    db,
    setting,
    visit,
):
    client = app.test_client()
    url = _url(app, db, visit, setting["groups"][0])
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="fr">' in page
    for text in ("Énoncé vrai 1-1", "Énoncé faux 1-2", "Énoncé vrai 2-3", "Je sais où trouver"):
        assert text in page
    assert "Tout à fait d’accord" in page
    assert len(read_form(page).radios) == 4 + 4 + 2
    response = answer(client, url, all_right(RIGHT + RIGHT))
    assert response.status_code == 200
    answer(client, url)  # another student: "true" everywhere, "strongly disagree"
    assert _responses(db, Wave.BEFORE) == 2
    counts = _counts(db, Wave.BEFORE)
    assert counts[("recruiters/s1", "correct")] == 2
    assert counts[("recruiters/s2", "correct")] == 1
    assert counts[("recruiters/s2", "wrong")] == 1
    assert counts[("online/s4", "wrong")] == 1
    assert counts[("confidence/get-help", "4")] == 1
    assert counts[("confidence/get-help", "1")] == 1
    assert _responses(db, Wave.AFTER) == 0


def test_answers_leave_no_row_per_student_no_time_and_nothing_of_the_phone(
    app,
    db,
    setting,
    visit,
):
    client = app.test_client()
    url = _url(app, db, visit, setting["groups"][0])
    headers = {"User-Agent": BROWSER, "Referer": REFERRER}
    environ = {"REMOTE_ADDR": ADDRESS}
    for _student in range(3):
        page = client.get(url, headers=headers, environ_base=environ)
        data = read_form(page.get_data(as_text=True)).hidden
        data.update({name: values[0] for name, values in read_form(page.text).radios.items()})
        client.post(url, data=data, headers=headers, environ_base=environ)
    rows = db.exec(select(AnswerCount)).all()
    assert len(rows) == 10, "one row per item and answer given, whatever the students"
    assert {row.count for row in rows} == {3}
    engine = app.extensions["mobilis_engine"]
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for name in ("evaluation_code", "evaluation_wave", "evaluation_answer"):
            table = metadata.tables[name]
            assert not [c.name for c in table.columns if isinstance(c.type, sa.DateTime | sa.Date)]
        dump = repr([list(connection.execute(sa.select(t))) for t in metadata.sorted_tables])
    for trace in (
        ADDRESS,
        "Pixel-Browser",
        "poster.example",
        code_of(app, db, visit, setting["groups"][0]),
    ):
        assert trace not in dump
    cookies = list(client._cookies.values())
    assert [c.key for c in cookies] == ["mobilis_session"]


def test_missing_answers_are_named_and_nothing_is_counted(app, db, setting, visit):
    client = app.test_client()
    url = _url(app, db, visit, setting["groups"][0], lang="en")
    response = answer(client, url, skip=("q2", "q9"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Answer every statement: 2 are missing." in page
    assert page.count("Choose an answer.") == 2
    assert _responses(db, Wave.BEFORE) == 0 and _counts(db, Wave.BEFORE) == {}
    response = answer(client, url, lambda name, values: "maybe")
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _responses(db, Wave.BEFORE) == 0


def test_a_wave_is_open_from_the_day_before_its_session_to_the_day_after(
    app,
    db,
    setting,
    visit,
    today,
):
    client = app.test_client()
    url = _url(app, db, visit, setting["groups"][0], lang="en")
    today.set(TODAY - timedelta(days=2))
    page = client.get(url).get_data(as_text=True)
    assert "This questionnaire is not open today. It opens on October 5, 2026" in page
    assert answer_refused(client, url) and _responses(db, Wave.BEFORE) == 0
    for offset in (-1, 0, 1):
        today.set(TODAY + timedelta(days=offset))
        assert 'name="q1"' in client.get(url).get_data(as_text=True)
    today.set(TODAY + timedelta(days=2))
    assert "It opens on October 13, 2026" in client.get(url).get_data(as_text=True)
    today.set(TODAY + timedelta(days=8))
    response = answer(client, url, all_right(RIGHT + RIGHT))
    assert "True." in response.get_data(as_text=True), "the answers are shown after the last wave"
    assert _responses(db, Wave.AFTER) == 1 and _responses(db, Wave.BEFORE) == 0
    today.set(TODAY + timedelta(days=10))
    assert "the workshops of your class are over" in client.get(url).get_data(as_text=True)


def answer_refused(client, url):
    """A POST to a closed questionnaire (its form from another day) counts nothing."""
    response = client.post(url, data={"q1": "true"})
    return response.status_code in (200, 400) and 'name="q1"' not in response.get_data(as_text=True)


def test_a_wave_takes_at_most_the_class_size_times_one_point_two(app, db, setting, visit):
    setting["groups"][0].size = 5  # 6 answers at most
    db.add(setting["groups"][0])
    db.commit()
    url = _url(app, db, visit, setting["groups"][0], lang="en")
    for _student in range(6):
        answer(app.test_client(), url)
    response = answer(app.test_client(), url)
    assert "Your class has already sent all its answers" in response.get_data(as_text=True)
    assert _responses(db, Wave.BEFORE) == 6
    assert _counts(db, Wave.BEFORE)[("recruiters/s1", "correct")] == 6


def test_the_same_form_sent_twice_counts_once(app, db, setting, visit):
    client = app.test_client()
    url = _url(app, db, visit, setting["groups"][0], lang="en")
    page = client.get(url).get_data(as_text=True)
    form = read_form(page)
    data = {**form.hidden, **{name: values[0] for name, values in form.radios.items()}}
    client.post(url, data=data)
    again = client.post(url, data=data).get_data(as_text=True)
    assert "Your answers had already arrived: they are counted once." in again
    assert _responses(db, Wave.BEFORE) == 1


def test_a_class_seen_once_says_which_wave_or_the_slide_says_it(
    app,
    db,
    setting,
    today,
):
    visit = make_visit(db, setting, start=TODAY)
    add_session(db, visit, setting, group=1, module=1, day=TODAY)
    db.commit()
    url = _url(app, db, visit, setting["groups"][1], lang="en")
    page = app.test_client().get(url).get_data(as_text=True)
    assert "When are you answering?" in page and "At the end of the workshop" in page
    answer(app.test_client(), url, extra={"wave": "after"})
    answer(app.test_client(), url + "?wave=before")
    assert _responses(db, Wave.AFTER) == 1 and _responses(db, Wave.BEFORE) == 1
    slide = app.test_client().get(url + "?wave=after").get_data(as_text=True)
    assert "When are you answering?" not in slide and "At the end of the workshop" in slide


def test_an_unknown_code_says_so_in_the_students_language(app, setting, visit):
    client = app.test_client()
    for path in ("/en/q/ACDE-FHJK/", "/en/q/not-a-code/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "This code does not match any questionnaire" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/fr/q/ACDE-FHJK/").get_data(as_text=True).count('lang="fr"') >= 1


def test_a_code_typed_by_hand_opens_its_questionnaire(app, db, setting, visit):
    code = code_of(app, db, visit, setting["groups"][0])
    client = app.test_client()
    typed = f" {code.lower().replace('-', ' ')} "
    response = client.get("/en/q/", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/en/q/{code.replace('-', '')}/")
    assert 'name="q1"' in client.get(response.headers["Location"]).get_data(as_text=True)
    wrong = app.test_client().get("/en/q/", query_string={"code": "0OIL"})
    assert wrong.status_code == 422
    assert "This code does not match any questionnaire" in wrong.get_data(as_text=True)
    assert "Set-Cookie" not in wrong.headers


def test_a_flood_gets_429(make_app, curriculum_dir, db, setting, today, tmp_path):
    flooded = make_app(
        CURRICULUM_PATH=str(curriculum_dir),
        EVALUATION_PAGE_RATE_LIMIT="3 per minute",
        PDF_CACHE_DIR=str(tmp_path / "pdf"),
    )
    client = flooded.test_client()
    statuses = [client.get("/fr/q/ACDE-FHJK/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_the_questionnaire_pages_have_the_quick_exit(app, db, setting, visit):
    from tests.test_student_pages import _quick_exit

    url = _url(app, db, visit, setting["groups"][0])
    for path in (url, "/fr/q/", "/fr/q/ACDE-FHJK/"):
        page = app.test_client().get(path).get_data(as_text=True)
        _quick_exit(page, "fr")

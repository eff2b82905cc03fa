"""The outcome report's three evaluation sections, in the page, the PDF, the
CSV, the XLSX and the API alike; the questionnaires' results page."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from pypdf import PdfReader

from app.evaluation import feedback
from app.evaluation.models import TeacherFeedback, Wave
from app.evaluation.stats import newcombe
from app.reports import tokens
from app.security import Role
from tests.conftest import AuthActions
from tests.evaluation_factory import TODAY, class_questionnaire, send
from tests.visits_factory import add_session, make_visit

YEAR = "period=school_year&year=2026"
SECTIONS = (
    "Evaluation completed or community feedback received",
    "Summary of the outcomes",
    "Summary of the performance measure data collected",
)


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def evaluated(app, db, setting, today, create_user):
    """Group 201: 20 students before (1 of 4 right), 18 after (3 of 4); group
    301: 3 before (left out). Feedback: one approved with a comment, one
    waiting, one rejected."""
    visit = make_visit(db, setting, start=TODAY)
    add_session(db, visit, setting, group=0, module=0, day=TODAY)
    add_session(db, visit, setting, group=0, module=1, day=TODAY + timedelta(days=8), period=2)
    add_session(db, visit, setting, group=1, module=0, day=TODAY + timedelta(days=1))
    db.commit()
    big = class_questionnaire(app, db, visit, setting["groups"][0])
    send(db, *big, Wave.BEFORE, students=20, right=1, agree="2")
    send(db, *big, Wave.AFTER, students=18, right=3, agree="4")
    send(db, *class_questionnaire(app, db, visit, setting["groups"][1]), Wave.BEFORE,
         students=3, right=4)  # fmt: skip
    coordinator = create_user(Role.COORDINATOR)
    for rating, comment, status in (
        (5, "Les élèves en parlent encore.", "approved"),
        (1, "Commentaire en attente.", None),
        (2, "Commentaire rejeté.", "rejected"),
    ):
        row = TeacherFeedback(visit_id=visit.id, rating=rating, comment=comment,
                              received_on=TODAY + timedelta(days=9))  # fmt: skip
        db.add(row)
        db.flush()
        if status:
            feedback.decide(db, feedback=row, status=status, by=coordinator)
    db.commit()
    client = app.test_client()
    AuthActions(client).login(coordinator.email, lang="en")
    return {"client": client, "coordinator": coordinator}


EXPECTED = {
    "before": 25.0,
    "after": 75.0,
    "change": 50.0,
    "lower": round(newcombe(0.75, 18, 0.25, 20)[1] * 100, 1),
    "upper": round(newcombe(0.75, 18, 0.25, 20)[2] * 100, 1),
}


def test_the_page_and_the_pdf_show_the_three_sections(evaluated):
    client = evaluated["client"]
    page = client.get(f"/en/reports/outcomes?{YEAR}").get_data(as_text=True)
    for heading in SECTIONS:
        assert heading in page
    row = page[page.index('id="knowledge-all"') :].split("</tr>")[0]
    assert "25.0%" in row and "75.0%" in row and "+50.0" in row
    assert f"[{EXPECTED['lower']}, {EXPECTED['upper']}]" in row  # English: a comma
    assert "Les élèves en parlent encore." in page
    assert "Commentaire en attente." not in page and "Commentaire rejeté." not in page
    assert "Newcombe" in page and "fewer than 5 students is left out" in page
    completed = page[page.index('id="completed-caption"') :].split("</table>")[0]
    assert ">&lt;5<" in completed, "one class, one questionnaire left out: small counts"
    pdf = client.get(f"/en/reports/outcomes.pdf?{YEAR}")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages
    )
    for heading in SECTIONS:
        assert heading in text
    assert "+50.0" in text and "Les élèves en parlent encore." in text


def _csv(client, lang="en"):
    body = client.get(f"/{lang}/reports/outcomes.csv?{YEAR}").data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";" if lang == "fr" else ","))


def _xlsx(client):
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/en/reports/outcomes.xlsx?{YEAR}").data))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def _row(rows, label):
    return next(row for row in rows if row and row[0] == label)


def test_the_exports_agree(evaluated, app, db):
    client = evaluated["client"]
    _token, secret = tokens.create_token(db, user=evaluated["coordinator"], name="Tableau")
    db.commit()
    api = (
        app.test_client()
        .get(
            f"/api/v1/reports/outcomes?{YEAR}&lang=en",
            headers={"Authorization": f"Bearer {secret}"},
        )
        .get_json()
    )
    knowledge = {row["key"]: row for row in api["evaluation"]["knowledge"]}["all"]
    fields = ["before", "after", "change", "lower", "upper"]
    assert {k: knowledge[k] for k in fields} == EXPECTED
    assert (knowledge["before_students"], knowledge["after_students"]) == (20, 18)
    from_csv = _row(_csv(client), "All modules")
    from_xlsx = _row(_xlsx(client), "All modules")
    assert [float(v) for v in from_csv[1:8]] == [
        knowledge[k] for k in ("before", "before_students", "after", "after_students",
                               "change", "lower", "upper")
    ]  # fmt: skip
    assert list(from_xlsx[1:8]) == [float(v) for v in from_csv[1:8]]
    api_figures = {f["label"]: f["value"] for f in api["evaluation"]["completed"]}
    csv_rows, xlsx_rows = _csv(client), _xlsx(client)
    for label, value in api_figures.items():
        assert _row(csv_rows, label)[1] == str(value)
        assert str(_row(xlsx_rows, label)[1]) == str(value)
    assert api_figures["Students who answered before"] == 20
    assert api_figures["Questionnaires left out (too few answers)"] == "<5"
    performance = {f["key"]: f["value"] for f in api["evaluation"]["performance"]}
    assert performance["mean_rating"] == "x", "one approved feedback: its mean is hidden"
    assert performance["knowledge_change"].startswith("+50.0 points (95% CI")
    assert _row(csv_rows, "Teacher's comment")[1] == "Les élèves en parlent encore."
    french = _row(_csv(client, "fr"), "Élèves qui ont répondu après")
    assert french[1] == "18"


def test_the_results_page_by_module_and_school(evaluated, setting):
    page = evaluated["client"].get(f"/en/reports/evaluation?{YEAR}").get_data(as_text=True)
    assert "Test module 1" in page and "Test module 2" in page
    assert setting["school"].name in page
    assert "I know where to get help." in page
    counts = page[page.index('id="evaluation-counts"') :].split("</dl>")[0]
    assert "<dd>2</dd>" in counts and "<dd>&lt;5</dd>" in counts

"""The reach report's exports: CSV, XLSX and PDF agree with the API's JSON to
the unit (hidden counts included), speak the page's language, refuse bad
parameters, and only coordinators and admins get them."""

import csv
import io
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from app.reports import tokens
from app.security import Role
from tests.conftest import AuthActions, extract_csrf_token
from tests.help_factory import make_conversation
from tests.report_factory import deliver  # noqa: F401  (a fixture)
from tests.test_reports import activity  # noqa: F401  (a fixture)

BOM = b"\xef\xbb\xbf"
EXPORTS = ("reach.csv", "reach.xlsx", "reach.pdf")
SCHOOL_YEAR = {"period": "school_year", "year": "2026"}


@pytest.fixture
def exported(db, activity, create_school):  # noqa: F811
    """`activity`, and 16 more questions at two other schools (in Montérégie
    too), so that the questions by region show a hidden count ("<5", the one
    naming no school) and a second one hidden because of the total ("x").

    Questions received: 18 in Montérégie (2 at the first school, 10, 6), 1
    naming no school. Answered: 6; first replies after 5 (first school's),
    1, 2, 3, 4 and 8 hours: a median of 3.5.
    """
    second = create_school(name="École secondaire du Grand-Pré")
    third = create_school(name="=HYPERLINK(École des Patriotes)")
    asked = datetime(2026, 11, 3, 9, tzinfo=UTC)
    hours = [1, 2, 3, 4, 8]
    for n in range(10):
        answered = n < len(hours)
        db.add(
            make_conversation(
                asked=asked,
                replied=datetime(2026, 11, 3, 9 + hours[n], tzinfo=UTC) if answered else None,
                topic="relationships",
                school_id=second.id,
            )
        )
    for _n in range(6):
        db.add(make_conversation(asked=asked, lang="en", topic="gangs", school_id=third.id))
    db.commit()
    return {**activity, "second": second, "third": third}


@pytest.fixture
def coordinator(app, create_user):
    client = app.test_client()
    user = create_user(Role.COORDINATOR)
    AuthActions(client).login(user.email)
    return client, user


def _api(app, db, user, params):
    _row, value = tokens.create_token(db, user=user, name="test")
    db.commit()
    response = app.test_client().get(
        "/api/v1/reports/reach", query_string=params, headers={"Authorization": f"Bearer {value}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _cell(value):
    """One cell as text, the same for every format: "" where not applicable,
    one decimal for the median, the marks as they are."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _expected_rows(data, total):
    """(kind, row) of the rows every export must show, from the JSON: the
    summary, then each table's title, header, rows and total."""
    rows = [
        ("figures", [s["label"], _cell(s["value"]), _cell(s["previous"])]) for s in data["summary"]
    ]
    for table in data["tables"]:
        rows.append(("title", [table["title"]]))
        rows.append(("header", [table["row_header"], *(c["label"] for c in table["columns"])]))
        rows += [("figures", [r["label"], *map(_cell, r["values"])]) for r in table["rows"]]
        rows.append(("figures", [total, *map(_cell, table["totals"])]))
    return rows


def _body_rows(rows, first_header):
    """The rows after the summary's header, blank lines and the final note left out."""
    start = next(i for i, row in enumerate(rows) if row[:1] == [first_header]) + 1
    return [row for row in rows[start:-1] if any(row)]


def _csv_rows(body, lang):
    assert body.startswith(BOM)
    text = body[len(BOM) :].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if lang == "fr" else ","))
    return [[_from_csv(c, lang) for c in row] for row in rows]


def _from_csv(cell, lang):
    if lang == "fr" and cell.replace(",", "").isdigit():
        return cell.replace(",", ".")  # the decimal comma of French spreadsheets
    if cell.startswith("'="):
        return cell[1:]  # text a spreadsheet would take for a formula
    return cell


def _trimmed(row):
    """A row without its empty cells at the end: a sheet's rows all have its width."""
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _xlsx_rows(body):
    book = openpyxl.load_workbook(io.BytesIO(body))
    rows = [_trimmed(map(_cell, r)) for r in book.worksheets[0].iter_rows(values_only=True)]
    return book, rows


def _pdf_text(body):
    """The PDF's text on one line: a cell's words may wrap."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


def _pdf_row(row, lang):
    cells = [c or "—" for c in row]
    if lang == "fr":
        cells = [c.replace(".", ",") if c.replace(".", "").isdigit() else c for c in cells]
    return " ".join(" ".join(cells).split())


def _hidden_counts_are_there(data, exported):
    """The API's answer hides what it must (questions by region, the summary)."""
    assert "questions_by_school" not in [t["key"] for t in data["tables"]]
    (by_region,) = [t for t in data["tables"] if t["key"] == "questions_by_region"]
    received = {r["key"]: r["values"][0] for r in by_region["rows"]}
    answered = {r["key"]: r["values"][1] for r in by_region["rows"]}
    # 18 − 19 would give the 1 naming no school away: Montérégie is hidden too.
    assert received == {"16": "x", "none": "<5"}
    assert answered == {"16": 6, "none": 0}
    assert by_region["totals"][:2] == [19, 6]
    summary = {s["figure"]: s for s in data["summary"]}
    assert summary["questions_received"]["value"] == 19
    # The school's figures are hidden: a count of schools would tell whether a
    # school listed with "x" had any session, so it is hidden with them.
    assert summary["schools_visited"]["value"] == "<5"
    assert summary["median_reply_hours"]["value"] == 3.5  # over 6 replies


CASES = [
    ("fr", SCHOOL_YEAR, "Chiffre"),
    ("en", {"period": "quarter", "year": "2026", "quarter": "4"}, "Figure"),
    # A filter: the figures it does not concern are empty ("—" in the PDF).
    ("en", {"period": "quarter", "year": "2026", "quarter": "4", "grade": "sec2"}, "Figure"),
]


@pytest.mark.parametrize(("lang", "params", "figure"), CASES)
def test_the_four_exports_agree_to_the_unit(app, db, exported, coordinator, lang, params, figure):
    client, user = coordinator
    data = _api(app, db, user, {**params, "lang": lang})
    tagged = _expected_rows(data, "Total")
    expected = [row for _kind, row in tagged]
    if "grade" in params:
        assert {s["figure"]: s["value"] for s in data["summary"]}["questions_received"] is None
        assert [t["key"] for t in data["tables"]] == [
            "sessions_by_region",
            "sessions_by_service_centre",
            "sessions_by_school",
            "sessions_by_grade",  # not by module: no cube holds both at once
        ]
    else:
        _hidden_counts_are_there(data, exported)
    assert any("<5" in row for row in expected)

    csv_body = client.get(f"/{lang}/reports/reach.csv", query_string=params)
    assert csv_body.status_code == 200
    assert _body_rows(_csv_rows(csv_body.data, lang), figure) == expected

    xlsx = client.get(f"/{lang}/reports/reach.xlsx", query_string=params)
    assert xlsx.status_code == 200
    book, rows = _xlsx_rows(xlsx.data)
    assert _body_rows(rows, figure) == [_trimmed(row) for row in expected]
    cells = {c.value: c for row in book.worksheets[0].iter_rows() for c in row}
    assert cells["<5"].data_type == "s"
    if "grade" not in params:
        assert cells[69].data_type == "n"
        assert cells["x"].data_type == "s" and cells[3.5].number_format == "0.0"

    pdf = client.get(f"/{lang}/reports/reach.pdf", query_string=params)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = _pdf_text(pdf.data)
    # Every figure with its row's name, and every title (headers wrap in
    # narrow columns, so their words come out interleaved).
    missing = [row for kind, row in tagged if kind != "header" and _pdf_row(row, lang) not in text]
    assert not missing, missing


def test_csv_speaks_the_pages_language(exported, coordinator):
    client, _user = coordinator
    french = client.get("/fr/reports/reach.csv", query_string=SCHOOL_YEAR)
    english = client.get("/en/reports/reach.csv", query_string=SCHOOL_YEAR)
    assert french.data.startswith(BOM) and english.data.startswith(BOM)
    fr_rows = _csv_rows(french.data, "fr")
    en_rows = _csv_rows(english.data, "en")
    assert ["Chiffre", "Année scolaire 2026-2027", "Année scolaire 2025-2026"] in fr_rows
    assert ["Figure", "School year 2026–2027", "School year 2025–2026"] in en_rows
    assert ["Écoles visitées", "<5", "0"] in fr_rows
    assert ["Schools visited", "<5", "0"] in en_rows
    assert ["Questions reçues", "19", "0"] in fr_rows
    assert "5" in en_rows[-1][0] and "x" in en_rows[-1][0]  # the rule, last
    assert french.mimetype == "text/csv" and french.headers["Cache-Control"] == "no-store"
    assert french.headers["Content-Disposition"] == (
        'attachment; filename="rapport-de-portee-annee-scolaire-2026-2027.csv"'
    )
    assert english.headers["Content-Disposition"] == (
        'attachment; filename="reach-report-school-year-2026-2027.csv"'
    )


HOSTILE = ['=HYPERLINK("http://x")', ";=1+1", "\t=cmd", " +1", "a,@SUM(1)", "x|-2"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _runs_nothing(text):
    """No cell starts as a formula, whatever delimiter a spreadsheet splits
    on, whether it honours quotes or not (spaces and quotes skipped)."""
    lines = re.split(r"\r\n|\r|\n", text)
    for delimiter in (",", ";", "\t", "|"):
        honoured = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        naive = [line.split(delimiter) for line in lines]
        for row in honoured + naive:
            for cell in row:
                assert not cell.lstrip(' "').startswith(FORMULA_STARTS), (delimiter, cell)


@pytest.fixture
def hostile(db, deliver, create_school, create_centre):  # noqa: F811
    """Schools (and a centre) named like formulas, with sessions delivered."""
    centre = create_centre(name="-centre")
    schools = [create_school(name=name, centre=centre) for name in HOSTILE]
    for school in schools:
        deliver(school, date(2026, 10, 6), 25)
    return schools


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_csv_cell_is_safe_whatever_the_delimiter(hostile, coordinator, lang):
    client, _user = coordinator
    for params in (SCHOOL_YEAR, {**SCHOOL_YEAR, "school_id": hostile[1].id}):
        response = client.get(f"/{lang}/reports/reach.csv", query_string=params)
        assert response.status_code == 200
        _runs_nothing(response.data.decode("utf-8-sig"))
    # Read with the file's own delimiter, the names are all there, as text.
    body = client.get(f"/{lang}/reports/reach.csv", query_string=SCHOOL_YEAR).data
    text = body.decode("utf-8-sig")
    delimiter = ";" if lang == "fr" else ","
    labels = [
        row[0] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row
    ]
    for name in ('\'=HYPERLINK("http://x")', ";'=1+1", "'\t'=cmd", "' +1", "a,'@SUM(1)", "x|'-2"):
        assert name in labels, name
    assert "'-centre" in labels


def test_the_school_templates_are_safe_too(app, create_user):
    client = app.test_client()
    AuthActions(client).login(create_user(Role.COORDINATOR).email)
    for path in ("/fr/schools/import/template.csv", "/fr/schools/groups-template.csv"):
        response = client.get(path)
        assert response.status_code == 200
        _runs_nothing(response.data.decode("utf-8-sig"))


def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx(hostile, coordinator):
    client, _user = coordinator
    book, _rows = _xlsx_rows(client.get("/en/reports/reach.xlsx", query_string=SCHOOL_YEAR).data)
    (cell,) = [
        c for row in book.worksheets[0].iter_rows() for c in row if "HYPERLINK" in str(c.value)
    ]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_the_xlsx_defines_each_figure_and_states_the_rule(exported, coordinator):
    client, _user = coordinator
    response = client.get("/fr/reports/reach.xlsx", query_string=SCHOOL_YEAR)
    assert response.headers["Content-Disposition"].endswith('annee-scolaire-2026-2027.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    reach_sheet, definitions = book.worksheets
    assert reach_sheet.freeze_panes == "B3"
    assert reach_sheet["A1"].font.bold and reach_sheet.column_dimensions["A"].width >= 30
    header = next(r for r in reach_sheet.iter_rows() if r[0].value == "Chiffre")
    assert all(c.font.bold for c in header if c.value is not None)
    rows = {r[0]: r[1] for r in definitions.iter_rows(values_only=True)}
    assert len(rows) == 1 + 18 + 2  # header, every figure, filters and the rule
    assert "Écoles visitées" in rows
    rule = next(text for text in rows.values() if text and "<5" in text)
    assert "x" in rule and "4" in rule  # counts from 1 to 4


def test_the_pdf_has_the_charts_the_period_and_the_rule(exported, coordinator, monkeypatch):
    from app.reports import export_views

    rendered = []

    def keep_html(html, **kwargs):
        rendered.append(html)
        return real_render(html, **kwargs)

    real_render = export_views.render_pdf
    monkeypatch.setattr(export_views, "render_pdf", keep_html)
    client, _user = coordinator
    response = client.get("/en/reports/reach.pdf", query_string=SCHOOL_YEAR)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Reach report: School year 2026–2027" in text
    assert "Made on" in text and "Counts from 1 to 4 are shown as “<5”" in text
    assert reader.metadata.title == "Reach report: School year 2026–2027"
    (html,) = rendered
    for key in ("sessions_by_grade", "sessions_by_module", "questions_by_region"):
        assert f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{key}"' in html
    assert html.count("<svg ") == html.count("<style>.chart-bar{") == 9  # every table


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize(
    "params",
    [
        {"period": "month", "year": "2026", "month": "13"},
        {"period": "decade"},
        {"period": "range", "start": "2026-10-06", "end": "2026-10-20"},
        {"period": "fiscal_year", "year": "2026"},
        {"school_id": "abc"},
        {"school_id": "999999"},
        {"grade": "sec2", "module_id": "1"},
        {"grade": "sec9"},
        {"topic": "nothing"},
    ],
)
def test_bad_parameters_are_refused(coordinator, export, params):
    client, _user = coordinator
    response = client.get(f"/fr/reports/{export}", query_string=params)
    assert response.status_code == 400
    assert "text/html" in response.content_type and "Content-Disposition" not in response.headers


@pytest.mark.parametrize("role", [Role.PREVENTION_WORKER, Role.POLICE_OFFICER, Role.YOUTH_WORKER])
def test_other_roles_get_403(app, create_user, role):
    client = app.test_client()
    AuthActions(client).login(create_user(role).email)
    for path in (*(f"/fr/reports/{e}" for e in EXPORTS), "/fr/reports/tokens"):
        assert client.get(path).status_code == 403, path
    token = extract_csrf_token(client.get("/fr/account/password").get_data(as_text=True))
    response = client.post("/fr/reports/tokens", data={"name": "x", "csrf_token": token})
    assert response.status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    for path in (*(f"/en/reports/{e}" for e in EXPORTS), "/en/reports/tokens"):
        response = client.get(path)
        assert response.status_code == 302 and "/en/login" in response.location, path


def test_an_admin_exports_too(app, exported, create_user):
    client = app.test_client()
    AuthActions(client).login(create_user(Role.ADMIN).email)
    for export in EXPORTS:
        assert client.get(f"/en/reports/{export}").status_code == 200, export


def test_the_report_page_links_to_the_exports_of_what_it_shows(exported, coordinator):
    client, _user = coordinator
    page = client.get("/en/reports/?period=quarter&year=2026&quarter=4&grade=sec2")
    html = page.get_data(as_text=True)
    for export in EXPORTS:
        assert (
            f'href="/en/reports/{export}?period=quarter&amp;year=2026&amp;quarter=4&amp;grade=sec2"'
            in html
        )
    assert 'href="/en/reports/tokens"' in html

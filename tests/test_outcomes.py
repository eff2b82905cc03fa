"""The outcome report: partner figures (validation, history, exact periods),
the report combining them with the site's figures, its page, its PDF in both
languages with small counts hidden, and who may open it."""

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlmodel import func, select

from app.reports import objectives, outcome_report, outcomes, periods
from app.reports.models import PartnerFigure
from app.security import Role
from tests import test_reports
from tests.conftest import AuthActions, extract_csrf_token

activity = test_reports.activity  # the reach report's fixture: see its docstring

YEAR = periods.make("school_year", 2026)
LAST_YEAR = periods.make("school_year", 2025)
YEAR_PARAMS = "period=school_year&year=2026"


def _count(db):
    return db.exec(select(func.count()).select_from(PartnerFigure)).one()


@pytest.fixture
def coordinator(create_user):
    return create_user(Role.COORDINATOR)


# Entering figures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "value", "source", "problem"),
    [
        ("arrests", -1, "SPAL", {"value": "count"}),
        ("arrests", True, "SPAL", {"value": "count"}),
        ("arrests", "3", "SPAL", {"value": "count"}),
        ("arrests", None, "SPAL", {"value": "required"}),
        ("arrests", 3, "   ", {"source": "required"}),
        ("students_reached", 3, "SPAL", {"indicator": "unknown"}),  # the site computes it
        ("pimps_on_record", 3, "SPAL", {"indicator": "unknown"}),
    ],
)
def test_a_figure_needs_a_known_indicator_a_count_and_a_source(
    db, coordinator, indicator, value, source, problem
):
    with pytest.raises(outcomes.FigureError) as raised:
        outcomes.enter_figure(
            db, indicator=indicator, period=YEAR, value=value, source=source, by=coordinator
        )
    assert raised.value.problems == {indicator: problem}
    assert _count(db) == 0


def test_one_problem_saves_nothing(db, coordinator):
    entries = {
        "arrests": (3, "Rapport du SPAL", ""),
        "people_charged": (2, "", "Pas encore de source"),
        "information_exchanges": (None, "Registre", ""),
    }
    with pytest.raises(outcomes.FigureError) as raised:
        outcomes.enter_figures(db, period=YEAR, entries=entries, by=coordinator)
    assert raised.value.problems == {
        "people_charged": {"source": "required"},
        "information_exchanges": {"value": "required"},
    }
    db.commit()
    assert _count(db) == 0
    assert set(outcomes.current_figures(db, YEAR).values()) == {None}


def test_a_correction_keeps_the_history_and_the_latest_wins(db, coordinator):
    first = outcomes.enter_figure(
        db, indicator="arrests", period=YEAR, value=14, source="SPAL T2", by=coordinator
    )
    saved = outcomes.enter_figures(
        db,
        period=YEAR,
        entries={
            "arrests": (15, "SPAL T2", "Une arrestation de juin saisie en retard"),
            "people_charged": (None, "", ""),  # left empty: skipped
        },
        by=coordinator,
    )
    db.commit()
    assert saved == ["arrests"]
    current = outcomes.current_figures(db, YEAR)
    assert current["arrests"].value == 15 and current["people_charged"] is None
    assert current["arrests"].entered_by_id == coordinator.id
    history = outcomes.history(db, indicator="arrests", period=YEAR)
    assert [(f.value, f.note) for f in history] == [
        (15, "Une arrestation de juin saisie en retard"),
        (14, ""),
    ]
    assert history[1].id == first.id
    assert outcomes.history_count(db, indicator="arrests", period=YEAR) == 2
    # The same values again change nothing; emptying a figure is refused.
    unchanged = {"arrests": (15, " SPAL T2 ", "Une arrestation de juin saisie en retard")}
    assert outcomes.enter_figures(db, period=YEAR, entries=unchanged, by=coordinator) == []
    with pytest.raises(outcomes.FigureError) as raised:
        outcomes.enter_figures(
            db, period=YEAR, entries={"arrests": (None, "SPAL T2", "")}, by=coordinator
        )
    assert raised.value.problems == {"arrests": {"value": "keep"}}
    db.commit()
    assert _count(db) == 2


def test_figures_belong_to_their_exact_period(db, coordinator):
    quarter = periods.make("quarter", 2026, 4)  # inside the school year
    fiscal = periods.make("fiscal_year", 2026)  # overlaps it
    outcomes.enter_figure(
        db, indicator="arrests", period=YEAR, value=20, source="Bilan annuel", by=coordinator
    )
    outcomes.enter_figure(
        db, indicator="arrests", period=quarter, value=6, source="Bilan T4", by=coordinator
    )
    db.commit()
    assert outcomes.current_figures(db, YEAR)["arrests"].value == 20
    assert outcomes.current_figures(db, quarter)["arrests"].value == 6
    assert outcomes.current_figures(db, fiscal)["arrests"] is None
    assert outcomes.history(db, indicator="arrests", period=fiscal) == []


def test_every_app_indicator_is_a_reach_figure():
    from app.reports import reach

    for indicator in objectives.INDICATORS.values():
        assert indicator.entered or indicator.key in reach.FIGURES, indicator.key
    assert len(objectives.OBJECTIVES) == 4
    assert all(objective.indicators for objective in objectives.OBJECTIVES)


# The report ---------------------------------------------------------------------------------


def _enter(db, by, figures):
    for indicator, period, value, source in figures:
        outcomes.enter_figure(
            db, indicator=indicator, period=period, value=value, source=source, by=by
        )
    db.commit()


PARTNER_FIGURES = [
    ("arrests", YEAR, 3, "Rapport trimestriel du SPAL"),
    ("arrests", LAST_YEAR, 12, "Rapport annuel du SPAL"),
    ("police_staff_assigned", YEAR, 2, "Rapport trimestriel du SPAL"),
    ("youth_met_by_police", YEAR, 0, "Rapport trimestriel du SPAL"),
    ("youth_met_by_police", LAST_YEAR, 7, "Rapport annuel du SPAL"),
    ("information_exchanges", YEAR, 26, "Registre conjoint CJM-SPAL"),
]


@pytest.fixture
def figures(db, activity, coordinator):
    _enter(db, coordinator, PARTNER_FIGURES)
    return activity


def _rows(report):
    return {row.indicator.key: (row.value, row.previous) for row in report.rows()}


def test_the_report_puts_the_sites_and_the_partners_figures_together(app, db, figures):
    report = outcome_report.outcome_report(db, YEAR)
    assert (report.period, report.previous) == (YEAR, LAST_YEAR)
    rows = _rows(report)
    # The site's figures (hand-counted in test_reports.py)
    assert rows["students_reached"] == (69, 0)
    assert rows["sessions_delivered"] == (3, 0)
    assert rows["presentation_audience"] == (40, 0)
    assert rows["escalations"] == (1, 0)
    assert rows["median_reply_hours"] == (5.0, None)
    # The partners', this period's and the period before's; None where none was entered
    assert rows["arrests"] == (3, 12)
    assert rows["youth_met_by_police"] == (0, 7)
    assert rows["people_charged"] == (None, None)
    arrests = next(row for row in report.rows() if row.indicator.key == "arrests")
    assert arrests.entry.source == "Rapport trimestriel du SPAL"
    assert arrests.previous_entry.source == "Rapport annuel du SPAL"
    assert [objective.key for objective, _rows in report.key_figures()] == [
        "mobilise",
        "prosecute",
        "support",
        "share",
    ]


def test_what_leaves_the_partnership_hides_small_counts(db, figures):
    shown = _rows(outcome_report.outcome_report(db, YEAR).suppressed(5))
    assert shown["arrests"] == ("<5", 12)
    assert shown["youth_met_by_police"] == (0, 7)  # zeros stay visible
    assert shown["sessions_delivered"] == ("<5", 0)
    assert shown["students_reached"] == (69, 0)
    assert shown["police_staff_assigned"] == (2, None)  # staff are not people served
    assert shown["median_reply_hours"] == ("x", None)  # one reply makes it: hidden
    assert shown["people_charged"] == (None, None)


# The pages ---------------------------------------------------------------------------------


def _client(app, user, lang="fr"):
    client = app.test_client()
    AuthActions(client).login(user.email, lang=lang)
    return client


def test_the_page_hides_what_the_pdf_hides_and_says_which(app, figures, coordinator):
    page = _client(app, coordinator, "en").get(f"/en/reports/outcomes?{YEAR_PARAMS}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "School year 2026–2027" in html and "School year 2025–2026" in html
    # The page shows what the PDF and the reach report show: nothing more.
    assert '<th scope="row">Arrests</th><td>&lt;5</td><td>12</td>' in html
    assert '<th scope="row">Sessions delivered</th><td>&lt;5</td><td>0</td>' in html
    assert '<th scope="row">Students reached</th><td>69</td><td>0</td>' in html
    assert "Rapport trimestriel du SPAL" in html
    assert "In this period, these figures are hidden:" in html
    hidden = html.split("these figures are hidden:")[1].split("</p>")[0]
    assert "Arrests" in hidden and "Students reached" not in hidden
    assert "Median hours to a first reply" in hidden
    assert "Police staff assigned" not in hidden
    assert f'href="/en/reports/outcomes.pdf?{YEAR_PARAMS.replace("&", "&amp;")}"' in html
    assert f'href="/en/reports/figures?{YEAR_PARAMS.replace("&", "&amp;")}"' in html
    assert 'id="chart-prosecute"' in html and 'role="img"' in html
    assert "<h2" in html and "Method" in html


def test_the_outcome_report_hides_what_the_reach_report_hides(app, db, figures, coordinator):
    from app.reports import reach
    from app.reports.report import build_report

    for period in (YEAR, periods.make("quarter", 2026, 4), periods.make("month", 2026, 10)):
        shown = _rows(outcome_report.outcome_report(db, period).suppressed(5))
        with app.test_request_context("/en/reports/"):
            reach_report = build_report(db, period, reach.Filters(), threshold=5)
        summary = {key: (value, before) for key, _label, value, before in reach_report.summary}
        for key in ("sessions_delivered", "students_reached", "questions_received", "escalations"):
            assert shown[key] == summary[key], (period, key)


def _pages(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_pdf_has_a_cover_a_summary_a_page_per_objective_and_the_method(
    app, figures, coordinator
):
    reader, pages = _pages(
        _client(app, coordinator, "en").get(f"/en/reports/outcomes.pdf?{YEAR_PARAMS}")
    )
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert len(pages) == 9, pages
    cover, summary, *objective_pages, completed, performance, method = pages
    assert "Outcome report" in cover and "School year 2026–2027" in cover
    assert "Made on" in cover and "Page 1" not in cover
    assert "Summary" in summary and "Page 2 of 9" in summary
    # The evaluation's sections (issue 23): two pages before the method.
    assert completed.startswith("Evaluation completed or community feedback received")
    assert "Summary of the outcomes" in completed and "Page 7 of 9" in completed
    assert performance.startswith("Summary of the performance measure data collected")
    assert "Newcombe" in performance and "Page 8 of 9" in performance
    for number, (page, objective) in enumerate(
        zip(objective_pages, objectives.OBJECTIVES, strict=True), 1
    ):
        assert f"objective {number} of 4" in page.lower()
        assert str(objective.title) in page
    prosecute, support = objective_pages[1], objective_pages[2]
    assert "<5 12 Rapport trimestriel du SPAL" in prosecute  # 3 arrests, hidden
    assert "0 7 Rapport trimestriel du SPAL" in support  # youth met by the police: 0 shows
    assert "Police staff assigned" in objective_pages[0]
    assert "2 — Rapport trimestriel du SPAL" in objective_pages[0]
    assert "Method" in method
    assert "counts from 1 to 4 as “<5”" in method and "(“x”)" in method
    assert "fewer than 5 replies" in method
    assert "Questions are deleted some time after they are closed" in method
    assert "Rapport annuel du SPAL" in method  # the previous period's source
    assert "Page 9 of 9" in method


def test_the_pdf_in_french_and_the_threshold_from_the_settings(make_app, db, figures, coordinator):
    app = make_app(REPORT_SUPPRESSION_THRESHOLD=10)
    reader, pages = _pages(_client(app, coordinator).get(f"/fr/reports/outcomes.pdf?{YEAR_PARAMS}"))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert len(pages) == 9
    assert "Année scolaire 2026-2027" in pages[0]
    assert "page 2 sur 9" in pages[1]
    assert "<10 12" in pages[3]  # 3 arrests; 12 the year before is shown
    assert "0 <10" in pages[4]  # youth met by the police: 0, then 7 hidden
    assert "« <10 »" in pages[8]  # the threshold from the settings, in French quotes


def test_a_bad_period_is_a_400(app, coordinator):
    client = _client(app, coordinator)
    for path in (
        "/fr/reports/outcomes",
        "/fr/reports/outcomes.pdf",
        "/fr/reports/figures",
        "/fr/reports/figures/arrests",
    ):
        assert client.get(f"{path}?period=month&year=2026&month=13").status_code == 400, path


@pytest.mark.parametrize("role", [Role.PREVENTION_WORKER, Role.POLICE_OFFICER, Role.YOUTH_WORKER])
def test_only_coordinators_and_admins_open_them(app, create_user, role):
    client = _client(app, create_user(role))
    token = extract_csrf_token(client.get("/fr/account/password").get_data(as_text=True))
    for path in (
        "/fr/reports/outcomes",
        "/fr/reports/outcomes.pdf",
        "/fr/reports/figures",
        "/fr/reports/figures/arrests",
    ):
        assert client.get(path).status_code == 403, path
    response = client.post(
        "/fr/reports/figures",
        data={"csrf_token": token, "arrests-value": "3", "arrests-source": "SPAL"},
    )
    assert response.status_code == 403


def test_an_admin_opens_them_and_a_visitor_is_sent_to_sign_in(app, db, create_user):
    client = _client(app, create_user(Role.ADMIN))
    for path in ("/en/reports/outcomes", "/en/reports/figures", "/en/reports/figures/arrests"):
        assert client.get(path).status_code == 200, path
    token = extract_csrf_token(client.get("/en/reports/figures").get_data(as_text=True))
    assert client.post("/en/reports/figures", data={"csrf_token": token}).status_code == 302
    visitor = app.test_client().get("/fr/reports/outcomes.pdf")
    assert visitor.status_code == 302 and "/fr/login" in visitor.location


# The figures form and the history ---------------------------------------------------------


def _post(client, data, params=YEAR_PARAMS, lang="en"):
    page = client.get(f"/{lang}/reports/figures?{params}")
    token = extract_csrf_token(page.get_data(as_text=True))
    return client.post(f"/{lang}/reports/figures?{params}", data={"csrf_token": token, **data})


def test_the_form_saves_only_when_every_figure_is_right(app, db, coordinator):
    client = _client(app, coordinator, "en")
    wrong = _post(
        client,
        {
            "arrests-value": "3",
            "arrests-source": "Rapport du SPAL",
            "people_charged-value": "2",
            "people_charged-source": "",
            "information_exchanges-value": "beaucoup",
            "information_exchanges-source": "Registre",
        },
    )
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert 'id="people_charged-source-error">Say where the figure comes from.' in html
    assert 'id="information_exchanges-value-error"' in html
    assert 'value="3"' in html  # what was typed stays in the form
    assert _count(db) == 0
    # Each wrong figure is reported even when another field's shape is fine.
    only_source = _post(client, {"arrests-value": "3", "arrests-source": ""})
    assert only_source.status_code == 422 and _count(db) == 0
    saved = _post(
        client,
        {
            "arrests-value": "3",
            "arrests-source": "Rapport du SPAL",
            "arrests-note": "Préliminaire",
            "people_charged-value": "2",
            "people_charged-source": "Rapport du SPAL",
        },
    )
    assert saved.status_code == 302
    assert saved.location.endswith(f"/en/reports/figures?{YEAR_PARAMS}")
    page = client.get(saved.location).get_data(as_text=True)
    assert "Saved: 2 figures." in page
    assert "Current figure: 3, entered by" in page and coordinator.name in page
    assert _count(db) == 2


def test_saving_the_same_figures_again_changes_nothing(app, db, coordinator):
    client = _client(app, coordinator, "en")
    data = {"arrests-value": "3", "arrests-source": "SPAL", "arrests-note": "Préliminaire"}
    assert _post(client, data).status_code == 302
    again = _post(client, data)
    assert again.status_code == 302
    assert "Nothing changed." in client.get(again.location).get_data(as_text=True)
    assert _count(db) == 1
    corrected = _post(client, {**data, "arrests-value": "4"})
    assert corrected.status_code == 302
    assert _count(db) == 2
    emptied = _post(client, {**data, "arrests-value": ""})
    assert emptied.status_code == 422
    assert "A figure cannot be removed" in emptied.get_data(as_text=True)
    assert _count(db) == 2


def test_the_form_is_per_period(app, db, coordinator):
    client = _client(app, coordinator, "en")
    quarter = "period=quarter&year=2026&quarter=4"
    assert _post(client, {"arrests-value": "6", "arrests-source": "T4"}, quarter).status_code == 302
    (entry,) = db.exec(select(PartnerFigure)).all()
    assert (entry.period_start, entry.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
    year_page = client.get(f"/en/reports/figures?{YEAR_PARAMS}").get_data(as_text=True)
    assert "Current figure" not in year_page


def test_the_history_lists_every_entry_newest_first(app, db, coordinator):
    for value in range(30):
        outcomes.enter_figure(
            db,
            indicator="arrests",
            period=YEAR,
            value=value,
            source=f"Source {value}",
            by=coordinator,
        )
    db.commit()
    client = _client(app, coordinator, "en")
    first = client.get(f"/en/reports/figures/arrests?{YEAR_PARAMS}").get_data(as_text=True)
    assert first.index("Source 29") < first.index("Source 28")
    assert "Source 4<" not in first and coordinator.name in first
    second = client.get(f"/en/reports/figures/arrests?{YEAR_PARAMS}&page=2")
    assert "Source 4<" in second.get_data(as_text=True)
    assert client.get(f"/en/reports/figures/arrests?{YEAR_PARAMS}&page=3").status_code == 404
    assert client.get(f"/en/reports/figures/students_reached?{YEAR_PARAMS}").status_code == 404
    assert client.get("/en/reports/figures/nothing").status_code == 404


# Demo data ------------------------------------------------------------------------------------


def test_the_demo_figures_are_loaded_once(app, db):
    from app.devdata import demo

    demo.seed_partner_figures(db)
    db.commit()
    loaded = _count(db)
    demo.seed_partner_figures(db)
    db.commit()
    assert _count(db) == loaded > 0
    assert outcomes.current_figures(db, LAST_YEAR)["arrests"].value == 15  # the correction
    assert outcomes.history_count(db, indicator="arrests", period=LAST_YEAR) == 2
    assert all(outcomes.current_figures(db, YEAR).values())

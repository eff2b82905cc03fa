"""The outcome report's charts hold one unit each, and its times come with
their n, hidden under the threshold: the page and the PDF, in both languages
(app/reports/outcome_charts.py)."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from app.reports import objectives
from app.security import Role
from tests import test_reports
from tests.help_factory import make_conversation
from tests.test_outcomes import YEAR_PARAMS, _client

activity = test_reports.activity  # one answered question (5 hours): see its docstring

SUPPORT_COUNTS = [
    str(i.label)
    for i in objectives.INDICATORS.values()
    if i in objectives.OBJECTIVES[2].indicators and i.unit == objectives.COUNT
]
WORDS = {
    "en": {
        "year": "School year 2026–2027",
        "before": "School year 2025–2026",
        "median": "Median hours to a first reply",
        "counts": "Counts: School year 2026–2027",
        "hours caption": "Median hours to a first reply",
        "hours": "4.0 h",
        "seven": "4.0 h (7 replies)",
        "under": "under 1 h (5 replies)",
        "fewer": "x (fewer than 5 replies)",
    },
    "fr": {
        "year": "Année scolaire 2026-2027",
        "before": "Année scolaire 2025-2026",
        "median": "Délai médian avant une première réponse (heures)",
        "counts": "Nombres : Année scolaire 2026-2027",
        "hours caption": "Délai médian avant une première réponse (heures)",
        "hours": "4,0 h",
        "seven": "4,0 h (7 réponses)",
        "under": "moins de 1 h (5 réponses)",
        "fewer": "x (moins de 5 réponses)",
    },
}


@pytest.fixture
def coordinator(create_user):
    return create_user(Role.COORDINATOR)


def _answered(db, hours_after, day=datetime(2026, 10, 14, 9, tzinfo=UTC)):
    for hours in hours_after:
        db.add(make_conversation(asked=day, replied=day + timedelta(hours=hours)))
    db.commit()


@pytest.fixture
def seven_replies(db, activity):
    """Six more questions answered after 2, 3, 3, 4, 6 and 9 hours: with the
    activity's one (5 hours), seven replies, the median 4 hours."""
    _answered(db, [2, 3, 3, 4, 6, 9])
    return activity


def _svg(html, chart_id):
    found = re.search(rf'<svg [^>]*id="{re.escape(chart_id)}".*?</svg>', html, re.S)
    return found.group(0) if found else None


def _texts(svg, kind):
    return re.findall(rf'class="chart-{kind}">([^<]*)<', svg)


def _plain(text):
    """French puts a non-breaking space before a colon: compared as a space here."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _page(app, user, lang):
    response = _client(app, user, lang).get(f"/{lang}/reports/outcomes?{YEAR_PARAMS}")
    assert response.status_code == 200
    return _plain(response.get_data(as_text=True))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_counts_and_hours_are_charted_apart_with_the_times_n(app, seven_replies, coordinator, lang):
    words = WORDS[lang]
    html = _page(app, coordinator, lang)
    support = html.split('id="objective-support"')[1].split("</section>")[0]
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", support)
    assert captions == [words["counts"], words["hours caption"]]

    counts = _svg(support, "chart-support")
    if lang == "en":
        assert _texts(counts, "label") == SUPPORT_COUNTS
    assert words["median"][:20] not in counts, "no hours among the counts"
    # Counts only: numbers, "<5" and "x" marks, "—" where none was entered.
    assert all(re.fullmatch(r"[\d ,]+|&lt;5|x|—", v) for v in _texts(counts, "value"))

    hours = _svg(support, "chart-support-median_reply_hours")
    assert _texts(hours, "label") == [words["year"], words["before"]]
    assert _texts(hours, "value") == [words["hours"], "—"]
    assert hours.count("<rect") == 1  # a bar for this period's median, none for no reply

    row = re.search(rf"{re.escape(words['median'])}</th><td>([^<]*)</td><td>([^<]*)</td>", support)
    assert row.groups() == (words["seven"], "—")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_time_over_few_replies_is_hidden_not_zero(app, activity, coordinator, lang):
    """One answered question: no "5.0 h", no "0.0 h", no chart of hours."""
    words = WORDS[lang]
    html = _page(app, coordinator, lang)
    support = html.split('id="objective-support"')[1].split("</section>")[0]
    row = re.search(rf"{re.escape(words['median'])}</th><td>([^<]*)</td>", support)
    assert row.group(1) == words["fewer"]
    assert _svg(support, "chart-support-median_reply_hours") is None
    assert _svg(support, "chart-support") is not None
    for shown in ("5.0", "5,0", "0.0 h", "0,0 h"):
        assert shown not in support


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_replies_within_the_hour_read_under_one_hour(app, db, activity, coordinator, lang):
    _answered(db, [0.2, 0.3, 0.5, 0.9])  # with the activity's (5 hours): median 0 whole hours
    support = _page(app, coordinator, lang).split('id="objective-support"')[1]
    assert f"<td>{WORDS[lang]['under']}</td>" in support
    hours = _svg(support, "chart-support-median_reply_hours")
    assert _texts(hours, "value")[0] == WORDS[lang]["under"].split(" (")[0]


def _pdf_pages(app, user, lang, query=YEAR_PARAMS):
    response = _client(app, user, lang).get(f"/{lang}/reports/outcomes.pdf?{query}")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    return [" ".join(_plain(page.extract_text()).split()) for page in reader.pages]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_charts_and_times_as_the_page_does(app, seven_replies, coordinator, lang):
    words = WORDS[lang]
    pages = _pdf_pages(app, coordinator, lang)
    (support,) = [page for page in pages if words["median"] in page and words["counts"] in page]
    assert words["seven"] in support
    assert words["hours caption"] in support
    assert f"{words['year']} {words['hours']}" in support  # the bar's label and its value


def test_the_pdf_hides_a_time_under_the_threshold_of_the_settings(
    make_app, seven_replies, coordinator
):
    app = make_app(REPORT_SUPPRESSION_THRESHOLD=10)
    pages = _pdf_pages(app, coordinator, "fr")
    (support,) = [page for page in pages if WORDS["fr"]["median"] in page and "Nombres" in page]
    assert "x (moins de 10 réponses)" in support
    assert "4,0 h" not in support and "0,0 h" not in support

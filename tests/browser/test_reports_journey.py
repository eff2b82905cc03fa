"""A coordinator, new to the site, enters the police's figures for the
school year, opens the outcome report, and downloads the reach report four
ways: CSV, XLSX, PDF, and the API's JSON with a token made on the site. In
each language, every page checked with axe."""

import csv
import io

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from app.security import Role
from tests.browser.a11y import scan
from tests.browser.test_journeys import by_label, sign_in

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {
        "reports": "Rapports",
        "figures": "Chiffres des partenaires",
        "save": "Enregistrer les modifications",
        "saved": "Enregistré\u00a0: 2 chiffres.",
        "outcomes": "Rapport des résultats de cette période",
        "arrests": "Arrestations",
        "charged": "Personnes accusées",
        "csv": "CSV (s’ouvre dans Excel)",
        "xlsx": "Classeur Excel (XLSX), avec les définitions",
        "pdf": "PDF, avec les graphiques",
        "tokens": "Jetons d’API",
        "make": "Créer un jeton",
        "students": "Élèves joints (somme des présences)",
        "delimiter": ";",
    },
    "en": {
        "reports": "Reports",
        "figures": "Partner figures",
        "save": "Save the changes",
        "saved": "Saved: 2 figures.",
        "outcomes": "Outcome report of this period",
        "arrests": "Arrests",
        "charged": "People charged",
        "csv": "CSV (Excel opens it)",
        "xlsx": "Excel workbook (XLSX), with the definitions",
        "pdf": "PDF, with the charts",
        "tokens": "API tokens",
        "make": "Make a token",
        "students": "Students reached (sum of attendance)",
        "delimiter": ",",
    },
}


def download(page, name):
    with page.expect_download() as started:
        page.get_by_role("link", name=name).click()
    return started.value.path().read_bytes()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_coordinator_reports_to_the_partners(page, live_server, create_user, lang):
    words = WORDS[lang]
    sign_in(page, create_user(Role.COORDINATOR, name="Camille Coordination"), lang=lang)
    scan(page)
    page.locator("nav.staff-nav").get_by_role("link", name=words["reports"]).click()
    scan(page)

    # The police's figures for this school year, with their source.
    page.get_by_role("link", name=words["figures"]).click()
    scan(page)
    for key, value in (("arrests", "12"), ("charged", "9")):
        group = page.get_by_role("group", name=words[key])  # each figure is a fieldset
        field = "arrests" if key == "arrests" else "people_charged"
        by_label(group, f"{field}-value").fill(value)
        by_label(group, f"{field}-source").fill("Rapport trimestriel du SPAL")
    page.get_by_role("button", name=words["save"]).click()
    scan(page)
    expect(page.locator(".flash-success")).to_contain_text(words["saved"])

    # The outcome report shows them.
    page.get_by_role("link", name=words["outcomes"]).first.click()
    scan(page)
    expect(page.locator("main")).to_contain_text(words["arrests"])
    expect(page.locator("main")).to_contain_text("12")

    # The reach report, downloaded three ways.
    page.locator("nav.staff-nav").get_by_role("link", name=words["reports"]).click()
    scan(page)
    text = download(page, words["csv"]).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=words["delimiter"]))
    assert [words["students"], "0", "0"] in rows
    workbook = openpyxl.load_workbook(io.BytesIO(download(page, words["xlsx"])))
    assert len(workbook.sheetnames) == 2
    pdf = PdfReader(io.BytesIO(download(page, words["pdf"])))
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert words["students"] in pdf_text

    # And a fourth: the API, with a token made for it.
    page.get_by_role("link", name=words["tokens"]).click()
    scan(page)
    by_label(page, "name").fill("Chiffrier du rapport annuel")
    page.get_by_role("button", name=words["make"]).click()
    scan(page)
    token = page.locator("#new-token").inner_text().strip()
    response = page.request.get(
        f"{live_server}/api/v1/reports/reach?lang={lang}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.ok
    summary = {row["figure"]: row["value"] for row in response.json()["summary"]}
    assert summary["students_reached"] == 0

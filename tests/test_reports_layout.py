"""The reach report reads figures first: the period and the filters are folded
(<details>) above the figures, saying what is chosen; they open by themselves
when they are what is wrong; the downloads come after the figures."""

import re

from app.security import Role

YEAR = "period=school_year&year=2026"


def _page(client, auth, create_user, query, status=200):
    auth.login(create_user(Role.COORDINATOR).email, lang="en")
    response = client.get(f"/en/reports/?{query}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_the_figures_come_first_with_the_filters_folded_above(client, auth, create_user):
    html = _page(client, auth, create_user, YEAR)
    folded = html.index('<details class="report-filters">')  # closed: no `open`
    unfolded = html.index("</details>", folded)
    assert folded < html.index('<select id="grade"') < unfolded  # the filters, inside
    assert unfolded < html.index('id="summary-caption"') < html.index('id="exports-heading"')
    summary = html[folded : html.index("</summary>", folded)]
    assert "School year 2026–2027" in summary and not re.search(r"\d+ filters?\b", summary)


def test_the_fold_says_how_many_filters_are_chosen(client, auth, create_user):
    html = _page(client, auth, create_user, f"{YEAR}&grade=sec2&topic=online")
    folded = html.index('<details class="report-filters">')
    assert "2 filters" in html[folded : html.index("</summary>", folded)]


def test_filters_that_make_no_sense_open_the_fold(client, auth, create_user):
    html = _page(client, auth, create_user, f"{YEAR}&grade=sec2&module_id=1", status=400)
    assert '<details class="report-filters" open>' in html
    assert html.index('role="alert"') < html.index('<details class="report-filters"')

"""Campaign weeks against school calendars, through the campaign's page: when
the March week overlaps days off of the centres it targets (spring break),
the page says so and names those centres."""

import datetime

import pytest
from sqlmodel import delete

from app.campaigns import views as campaign_views
from app.schools.models import DayOff, DayOffKind
from tests.campaigns_factory import write_campaign

SPRING_BREAK = "Semaine de relâche"


@pytest.fixture
def app(make_app, curriculum_dir):
    write_campaign(curriculum_dir, "march", n=2, start="03-01", end="03-07")
    write_campaign(curriculum_dir, "school-year", n=1, start="09-01", end="06-20", posts=4)
    return make_app(CURRICULUM_PATH=str(curriculum_dir), CURRICULUM_RELOAD_SECONDS=0)


@pytest.fixture
def calendars(db, create_centre, create_school, school_year, monkeypatch):
    """Three centres with schools: two off for spring break (1 to 5 March 2027),
    one later; a fourth centre has no school. Today is in February 2027."""
    monkeypatch.setattr(campaign_views, "local_today", lambda: datetime.date(2027, 2, 1))
    centres = {
        name: create_centre(name=name)
        for name in (
            "Centre de services scolaire Marie-Victorin",
            "Centre de services scolaire des Patriotes",
            "Centre de services scolaire des Hautes-Rivières",
            "Centre de services scolaire sans école",
        )
    }
    for name, centre in list(centres.items())[:3]:
        create_school(centre=centre, name=f"École de {name}")
    breaks = {
        "Centre de services scolaire Marie-Victorin": (1, 5),
        "Centre de services scolaire des Patriotes": (1, 5),
        "Centre de services scolaire des Hautes-Rivières": (8, 12),
        "Centre de services scolaire sans école": (1, 5),
    }
    for name, (first, last) in breaks.items():
        db.add(
            DayOff(
                school_year_id=school_year.id,
                starts_on=datetime.date(2027, 3, first),
                ends_on=datetime.date(2027, 3, last),
                kind=DayOffKind.BREAK,
                reason=SPRING_BREAK,
                service_centre_id=centres[name].id,
            )
        )
    db.commit()
    return centres


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_march_week_names_the_centres_on_spring_break(client, calendars, lang):
    page = client.get(f"/{lang}/campaigns/march/").get_data(as_text=True)
    assert 'id="days-off-heading"' in page
    notice = page.split('id="days-off-heading"', 1)[1].split("</section>", 1)[0]
    assert SPRING_BREAK in notice
    expected = {"fr": "lundi 1er mars 2027", "en": "Monday, March 1, 2027"}[lang]
    assert expected in notice.replace("\xa0", " ")
    assert {"fr": "vendredi 5 mars 2027", "en": "Friday, March 5, 2027"}[lang] in notice.replace(
        "\xa0", " "
    )
    assert "Centre de services scolaire Marie-Victorin" in notice
    assert "Centre de services scolaire des Patriotes" in notice
    assert "Hautes-Rivières" not in notice, "its break comes after the week"
    assert "sans école" not in notice, "a centre without schools is no target"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_campaign_without_closed_schools_says_nothing(client, db, calendars, lang):
    year_long = client.get(f"/{lang}/campaigns/school-year/").get_data(as_text=True)
    assert 'id="days-off-heading"' not in year_long, "every holiday is in a school year"
    db.exec(delete(DayOff))
    db.commit()
    march = client.get(f"/{lang}/campaigns/march/").get_data(as_text=True)
    assert march.count("<h1") == 1 and 'id="days-off-heading"' not in march

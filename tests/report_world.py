"""The world the reports' attack test reads (tests/test_report_differencing.py):
small schools beside big ones in two regions (École A1–A3 and B1–B2 in
Montérégie, C1–C2 in Laval), activity in the autumn and the winter of school
year 2026–2027 and a little the year before; each record kept as the
attacker's unknowns see it (tests/report_attack.py)."""

from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import select

from app.campaigns.models import DistributionRecord
from app.curriculum.models import CurriculumModule
from app.help.models import Escalation, Topic
from app.presentations.models import Audience, Presentation, SchoolRequest
from app.regions.data import CODES
from app.schools.models import GRADES
from tests.help_factory import make_conversation
from tests.report_attack import Record, World
from tests.report_factory import deliver  # noqa: F401  (a fixture)

SESSIONS = [  # school, day, students, grade, module, visit done
    ("A1", date(2026, 9, 10), 25, "sec1", 0, True),
    ("A1", date(2026, 9, 11), 24, "sec1", 0, True),
    ("A1", date(2026, 10, 6), 26, "sec2", 1, False),
    ("A1", date(2026, 10, 7), 22, "sec2", 0, False),
    ("A1", date(2027, 1, 20), 27, "sec1", 1, True),
    ("A1", date(2027, 3, 3), 21, "sec2", 1, False),
    ("A2", date(2026, 10, 8), 4, "sec2", 1, False),
    ("A2", date(2027, 2, 9), 22, "sec1", 0, True),
    ("A3", date(2026, 11, 4), 12, "sec1", 0, False),
    ("A3", date(2026, 11, 5), 13, "sec1", 0, False),
    ("B1", date(2026, 9, 16), 28, "sec2", 0, True),
    ("B1", date(2026, 11, 17), 26, "sec1", 1, True),
    ("B1", date(2026, 11, 18), 25, "sec2", 1, True),
    ("B1", date(2027, 2, 10), 24, "sec1", 0, False),
    ("B2", date(2026, 12, 2), 3, "sec2", 0, True),
    ("C1", date(2026, 10, 13), 23, "sec1", 0, False),
    ("C1", date(2026, 10, 14), 22, "sec2", 1, False),
    ("C1", date(2027, 1, 12), 25, "sec1", 1, True),
    ("C2", date(2026, 11, 24), 20, "sec1", 1, True),
    ("A1", date(2025, 10, 8), 24, "sec1", 0, True),  # the year before
    ("A2", date(2025, 11, 12), 2, "sec2", 1, False),
    ("C1", date(2026, 3, 10), 19, "sec2", 0, False),
]
QUESTIONS = [  # school (None: none named), day, topic, replied after hours, urgent, escalations
    *[("A1", date(2026, 10, 2), "online", h, False, 0) for h in (2, 4, 6, None, None, 9)],
    ("A2", date(2026, 10, 20), "pressure", 3, True, 1),
    ("A2", date(2026, 10, 21), "pressure", None, False, 0),
    ("B2", date(2026, 11, 3), "gangs", None, False, 0),
    *[("A1", date(2027, 1, 14), "online", None, False, 0) for _n in range(3)],
    *[("C1", date(2026, 10, 9), "online", h, False, 0) for h in (1, 5, 7, 8)],
    ("C2", date(2026, 12, 1), "gangs", 12, True, 2),
    (None, date(2026, 11, 25), "other", None, False, 0),
    (None, date(2026, 11, 26), "other", 1, False, 0),
]
PRESENTATIONS = [  # school, centre, day, audience, people
    ("A1", None, date(2026, 10, 15), "parents", 40),
    ("A2", None, date(2026, 11, 19), "staff", 3),
    (None, "B", date(2027, 1, 21), "board", 12),
    (None, None, date(2027, 2, 4), "partners", 30),
    ("C1", None, date(2027, 3, 17), "students", 2),
]
CAMPAIGNS = [  # school, day, slug, posters, flyers, campaign day, kiosk students
    ("A1", date(2026, 10, 20), "automne", 10, 100, False, 0),
    ("A2", date(2026, 10, 21), "automne", 2, 0, False, 0),
    ("C2", date(2026, 11, 10), "automne", 0, 0, True, 3),
    ("B1", date(2027, 2, 16), "hiver", 20, 0, True, 50),
]
REQUESTS = [
    ("A1", date(2026, 9, 3), True),
    ("A1", date(2026, 9, 4), False),
    ("C2", date(2026, 10, 5), True),
    (None, date(2026, 11, 2), False),
]


@pytest.fixture(name="world")
def world_fixture(db, deliver, create_centre, create_school):  # noqa: F811
    centres = {
        "A": create_centre(name="CSS des Patriotes"),
        "B": create_centre(name="CSS Marie-Victorin"),
        "C": create_centre(name="CSS de Laval", region_code="13"),
    }
    schools = {
        name: create_school(name=f"École {name}", centre=centres[name[0]])
        for name in ("A1", "A2", "A3", "B1", "B2", "C1", "C2")
    }
    modules = db.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all()
    found = World(
        records=[],
        schools={s.id: (s.region_code, s.service_centre_id) for s in schools.values()},
        centres={c.id: c.region_code for c in centres.values()},
        rows={
            "region": [*CODES, None],
            "centre": [c.id for c in centres.values()],
            "school": [s.id for s in schools.values()],
            "grade": list(GRADES),
            "module": [m.id for m in modules],
            "topic": [str(t) for t in Topic],
            "audience": [str(a) for a in Audience],
            "campaign": ["automne", "hiver"],
        },
        places={"schools": schools, "centres": centres},
    )

    def place(name):
        school = schools.get(name)
        return (school.region_code, school.service_centre_id, school.id) if school else (None,) * 3

    for name, day, students, grade, module, done in SESSIONS:
        deliver(schools[name], day, students, grade=grade, module=module, done=done)
        counts = {"sessions_delivered": 1, "students_reached": students}
        others = {"grade": grade, "module": modules[module].id}
        found.add(Record("session", day, *place(name), counts, others, done=done))
    for name, day, topic, hours, urgent, escalations in QUESTIONS:
        _question(db, found, place(name), day, topic, hours, urgent, escalations)
    for name, centre, day, audience, people in PRESENTATIONS:
        region, centre_id, school_id = place(name)
        if centre is not None:
            region, centre_id = centres[centre].region_code, centres[centre].id
        db.add(
            Presentation(
                audience=audience,
                organisation="Comité",
                school_id=school_id,
                service_centre_id=centres[centre].id if centre else None,
                on_date=day,
                starts_at=time(19),
                ends_at=time(20),
                status="held",
                actual_audience=people,
            )
        )
        counts = {"presentations_held": 1, "presentation_audience": people}
        found.add(
            Record(
                "presentation", day, region, centre_id, school_id, counts, {"audience": audience}
            )
        )
    for name, day, slug, posters, flyers, held, kiosk in CAMPAIGNS:
        db.add(
            DistributionRecord(
                campaign_slug=slug,
                school_id=schools[name].id,
                on_date=day,
                posters=posters,
                flyers=flyers,
                campaign_day=held,
                kiosk_students=kiosk,
            )
        )
        counts = {
            "campaign_posters": posters,
            "campaign_flyers": flyers,
            "campaign_days": int(held),
            "kiosk_students": kiosk,
        }
        found.add(Record("campaign", day, *place(name), counts, {"campaign": slug}))
    for name, day, accepted in REQUESTS:
        region, centre_id, school_id = place(name)
        db.add(
            SchoolRequest(
                kind="presentation",
                organisation="École",
                school_id=school_id,
                contact_name="X",
                contact_email="x@example.org",
                status="accepted" if accepted else "open",
                created_at=datetime.combine(day, time(14), UTC),
            )
        )
        counts = {"requests_received": 1, "requests_accepted": int(accepted)}
        found.add(Record("request", day, region, centre_id, school_id, counts))
    db.commit()
    return found


def _question(db, world, where, day, topic, hours, urgent, escalations, *, own=False):
    region, centre, school = where
    asked = datetime.combine(day, time(10), UTC)
    replied = None if hours is None else datetime.combine(day, time(10 + hours), UTC)
    conversation = make_conversation(
        asked=asked, replied=replied, topic=topic, urgent=urgent, school_id=school
    )
    db.add(conversation)
    db.flush()
    for _n in range(escalations):
        db.add(Escalation(conversation_id=conversation.id, kind="youth_protection"))
    counts = {
        "questions_received": 1,
        "questions_answered": int(hours is not None),
        "questions_urgent": int(urgent),
        "escalations": escalations,
    }
    return world.add(
        Record("question", day, region, centre, school, counts, {"topic": topic}, own=own)
    )

"""Share links and calendar addresses are kept as SHA-256 digests and shown
once, when made; a new one is made (after a confirmation) rather than the old
one shown again, and the old one then opens nothing. Links made before the
digests (migration 0015) keep working."""

import hashlib
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel, select

from app.migrations.commands import alembic_config
from app.schools import services as schools
from app.security import Role
from app.visits.models import ShareToken
from tests.conftest import AuthActions, post_with_token
from tests.visits_factory import add_session, make_visit

SHARE_LINK = 'id="share-link" value="http://localhost/fr/s/'
FEED_LINK = 'id="feed-https" value="http://localhost/ical/'


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 1))


def _shown(response, marker):
    """The 43-character token in the link that follows `marker` on the page."""
    assert response.status_code == 200
    return response.get_data(as_text=True).split(marker, 1)[1][:43]


def _everything_stored(engine):
    """Every value of every row of every table, as one text."""
    with engine.connect() as connection:
        return "\n".join(
            repr(tuple(row))
            for table in SQLModel.metadata.sorted_tables
            for row in connection.execute(sa.select(table))
        )


def _opens(client, token, lang="fr"):
    """(share page, calendar feed) status codes for `token`."""
    return (
        client.get(f"/{lang}/s/{token}/").status_code,
        client.get(f"/ical/{token}.ics").status_code,
    )


def test_a_school_link_is_shown_once_and_only_its_digest_kept(app, client, db, setting):
    visit = make_visit(db, setting)
    add_session(db, visit, setting)
    AuthActions(client).login(setting["workers"][0].email)
    detail = f"/fr/visits/{visit.id}/"
    response = post_with_token(client, f"/fr/visits/{visit.id}/share", token_page=detail)
    assert response.headers["Cache-Control"] == "no-store"
    token = _shown(response, SHARE_LINK)

    row = db.exec(select(ShareToken)).one()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in _everything_stored(db.get_bind())
    anonymous = app.test_client()
    assert _opens(anonymous, token) == (200, 200)

    # Never shown again, to whoever made it or anyone else, in either language.
    for user in (setting["workers"][0], setting["workers"][1], setting["police"]):
        AuthActions(client).logout()
        AuthActions(client).login(user.email)
        for lang in ("fr", "en"):
            page = client.get(f"/{lang}/visits/{visit.id}/").get_data(as_text=True)
            assert 'id="share"' in page and token not in page
    assert token not in client.get("/fr/agenda/").get_data(as_text=True)


def test_a_new_school_link_is_asked_for_and_the_old_one_dies(app, client, db, setting):
    visit = make_visit(db, setting)
    AuthActions(client).login(setting["workers"][0].email, lang="en")
    detail, share = f"/en/visits/{visit.id}/", f"/en/visits/{visit.id}/share"
    first = _shown(
        post_with_token(client, share, token_page=detail), SHARE_LINK.replace("/fr/", "/en/")
    )
    page = client.get(detail).get_data(as_text=True)
    assert f'href="{share}"' in page and "Make a new link" in page

    asking = client.get(share)
    assert asking.status_code == 200 and "Make a new link for" in asking.get_data(as_text=True)
    # A stale page's first "make the link" form (no `replace`) only asks too.
    stale = post_with_token(client, share, token_page=detail)
    assert stale.status_code == 200 and 'name="replace"' in stale.get_data(as_text=True)
    anonymous = app.test_client()
    assert _opens(anonymous, first, "en") == (200, 200)
    assert len(db.exec(select(ShareToken)).all()) == 1

    renewed = post_with_token(client, share, {"replace": "1"})
    assert "the previous one no longer works" in renewed.get_data(as_text=True)
    second = _shown(renewed, SHARE_LINK.replace("/fr/", "/en/"))
    assert second != first
    assert _opens(anonymous, first, "en") == (404, 404)
    assert anonymous.get(f"/en/s/{first}/schedule.pdf").status_code == 404
    assert _opens(anonymous, second, "en") == (200, 200)
    assert [t.revoked_at is None for t in db.exec(select(ShareToken).order_by(ShareToken.id))] == [
        False,
        True,
    ]
    assert second not in client.get(detail).get_data(as_text=True)


def test_a_calendar_address_is_shown_once_and_renewed_after_asking(app, client, db, setting):
    worker = setting["workers"][0]
    AuthActions(client).login(worker.email)
    response = post_with_token(client, "/fr/agenda/feed", token_page="/fr/agenda/")
    assert response.headers["Cache-Control"] == "no-store"
    first = _shown(response, FEED_LINK)
    assert first not in _everything_stored(db.get_bind())
    page = client.get("/fr/agenda/").get_data(as_text=True)
    assert first not in page and 'href="/fr/agenda/feed"' in page
    anonymous = app.test_client()
    assert anonymous.get(f"/ical/{first}.ics").status_code == 200

    asking = client.get("/fr/agenda/feed")
    assert asking.status_code == 200 and first not in asking.get_data(as_text=True)
    assert post_with_token(client, "/fr/agenda/feed", token_page="/fr/agenda/").status_code == 200
    assert anonymous.get(f"/ical/{first}.ics").status_code == 200  # asking is not doing
    second = _shown(post_with_token(client, "/fr/agenda/feed", {"replace": "1"}), FEED_LINK)
    assert anonymous.get(f"/ical/{first}.ics").status_code == 404
    assert anonymous.get(f"/ical/{second}.ics").status_code == 200
    assert second not in client.get("/fr/agenda/").get_data(as_text=True)


def test_the_migration_keeps_old_links_working_without_their_tokens(app, db, database_url, setting):
    config = alembic_config(database_url)
    before = ScriptDirectory.from_config(config).get_revision("0015").down_revision
    school_id, user_id = setting["school"].id, setting["workers"][0].id
    db.close()  # no transaction of the test may hold the table the migration alters
    plain = {
        "school": "S" * 43,
        "person": "P-_" + "p" * 40,
        "revoked": "R" * 43,
    }
    old = sa.table(
        "share_token",
        sa.column("token", sa.String),
        sa.column("school_id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("lang", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("revoked_at", sa.DateTime(timezone=True)),
    )
    now = datetime(2026, 9, 1, tzinfo=UTC)
    engine = sa.create_engine(database_url)
    try:
        command.downgrade(config, before)
        with engine.begin() as connection:
            for key, owner in (("revoked", "school"), ("school", "school"), ("person", "user")):
                connection.execute(
                    old.insert().values(
                        token=plain[key],
                        school_id=school_id if owner == "school" else None,
                        user_id=user_id if owner == "user" else None,
                        lang="fr",
                        created_at=now,
                        revoked_at=now if key == "revoked" else None,
                    )
                )
        command.upgrade(config, "head")

        stored = _everything_stored(engine)
        assert not any(token in stored for token in plain.values())
        with engine.connect() as connection:
            digests = set(connection.execute(sa.text("SELECT digest FROM share_token")).scalars())
        assert digests == {hashlib.sha256(t.encode()).hexdigest() for t in plain.values()}
        anonymous = app.test_client()
        assert _opens(anonymous, plain["school"]) == (200, 200)
        assert anonymous.get(f"/ical/{plain['person']}.ics").status_code == 200
        assert _opens(anonymous, plain["revoked"]) == (404, 404)

        # Back down, a digest cannot be a link again: every token is revoked.
        command.downgrade(config, before)
        with engine.connect() as connection:
            live = connection.execute(
                sa.text("SELECT count(*) FROM share_token WHERE revoked_at IS NULL")
            ).scalar()
        assert live == 0
        command.upgrade(config, "head")
        assert _opens(anonymous, plain["school"]) == (404, 404)
    finally:
        command.upgrade(config, "head")
        engine.dispose()


def test_only_staff_who_edit_visits_make_a_school_link(client, db, setting, create_user):
    visit = make_visit(db, setting)
    AuthActions(client).login(create_user(Role.POLICE_OFFICER).email)
    assert client.get(f"/fr/visits/{visit.id}/share").status_code == 403
    assert db.exec(select(ShareToken)).first() is None

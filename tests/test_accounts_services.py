"""Account rules, called directly."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.accounts import password_reset, passwords, services, sign_in
from app.accounts.models import SignInThrottle
from app.accounts.passwords import PolicyViolation
from app.config import Config
from app.security import Role
from tests.conftest import PASSWORD


def test_production_hashing_is_argon2id_with_rfc_9106_parameters():
    hashing = services.PasswordHashing(**Config.PASSWORD_HASH_PARAMETERS)
    assert hashing.hasher.hash("x").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_passwords_are_never_stored_in_clear(app, create_user):
    user = create_user(password="a secret long enough")
    assert "a secret long enough" not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


def test_emails_are_unique_whatever_their_case(app, db, create_user):
    create_user(email="same@example.org")
    with app.app_context(), pytest.raises(services.DuplicateEmail):
        services.create_user(
            db, email=" SAME@example.org", name="Other", role=Role.ADMIN, password="x" * 12
        )


def test_short_password_is_refused(app, db):
    with app.app_context(), pytest.raises(services.WeakPassword):
        services.create_user(
            db, email="a@example.org", name="A", role=Role.ADMIN, password="x" * 11
        )


ADDRESS = "203.0.113.9"


def _wrong(db, email, address=ADDRESS):
    with pytest.raises(sign_in.SignInRefused):
        sign_in.authenticate(db, email=email, password="wrong", address=address)


def _pause_seconds(db, email, address=ADDRESS):
    with pytest.raises(sign_in.TooManyAttempts) as refused:
        sign_in.authenticate(db, email=email, password=PASSWORD, address=address)
    return (refused.value.until - datetime.now(UTC)).total_seconds()


def test_pauses_double_each_time_and_are_capped(make_app, db, create_user):
    app = make_app(LOGIN_MAX_FAILURES=3, LOGIN_FIRST_DELAY_SECONDS=60, LOGIN_LOCK_MINUTES=10)
    user = create_user()
    with app.app_context():
        for _ in range(2):
            _wrong(db, user.email)
        for expected in (60, 120, 240, 480, 600, 600):
            _wrong(db, user.email)
            assert expected - 5 < _pause_seconds(db, user.email) <= expected
            db.exec(sa.update(SignInThrottle).values(blocked_until=datetime.now(UTC)))
        # Another address, and the same address for another e-mail, wait for nothing.
        assert sign_in.authenticate(db, email=user.email, password=PASSWORD, address=OTHER)
        _wrong(db, "someone.else@example.org")


OTHER = "198.51.100.4"


def test_a_complete_sign_in_clears_the_failures_of_its_address(make_app, db, create_user):
    app = make_app(LOGIN_MAX_FAILURES=3)
    user = create_user()
    with app.app_context():
        for _ in range(2):
            _wrong(db, user.email)
        signed_in = sign_in.authenticate(db, email=user.email, password=PASSWORD, address=ADDRESS)
        # A right password alone clears nothing: the second step may follow,
        # and guessing codes must keep counting towards the pause.
        _wrong(db, user.email)
        _pause_seconds(db, user.email)
        db.exec(sa.update(SignInThrottle).values(blocked_until=datetime.now(UTC)))
        sign_in.complete_sign_in(db, user=signed_in, address=ADDRESS)
        for _ in range(2):
            _wrong(db, user.email)
        assert sign_in.authenticate(db, email=user.email, password=PASSWORD, address=ADDRESS)
    assert user.last_login_at is not None


def test_inactive_user_cannot_sign_in(app, db, create_user):
    user = create_user(active=False)

    with app.app_context(), pytest.raises(sign_in.SignInRefused):
        sign_in.authenticate(db, email=user.email, password=PASSWORD, address=ADDRESS)


def test_a_reset_ends_the_sessions_and_keeps_only_the_links_digest(app, db, create_user):
    user = create_user()
    admin = create_user(Role.ADMIN)
    session_token = user.auth_token
    with app.app_context():
        token = password_reset.start(db, user=user, by=admin)
        assert password_reset.user_for(db, token) is user
        assert not services.verify_password(user, PASSWORD)
    assert user.auth_token != session_token
    assert len(token) >= 43 and token not in (user.reset_digest, user.password_hash)
    assert password_reset.user_for(db, token[:-1]) is None


def _refusal(password, **person):
    try:
        services.check_password_strength(password, **person)
    except services.WeakPassword as error:
        return error.reason
    return None


def test_the_breached_password_list_is_real_and_loaded_once():
    common = passwords.common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "iloveyou", "soleil", "motdepasse"} <= common
    assert passwords.common_passwords() is common


@pytest.mark.parametrize(
    ("password", "person", "reason"),
    [
        ("x" * 11, {}, PolicyViolation.TOO_SHORT),
        ("qwertyuiop123", {}, PolicyViolation.COMMON),
        ("PASSWORD1234", {}, PolicyViolation.COMMON),  # any case
        ("iloveyou2024!!", {}, PolicyViolation.COMMON),  # digits and symbols added
        ("Motdepasse!!!", {}, PolicyViolation.COMMON),
        ("tremblay-2024-x", {"name": "Léa Tremblay"}, PolicyViolation.PERSONAL),
        ("LeaTremblayRocks", {"name": "Léa Tremblay"}, PolicyViolation.PERSONAL),
        ("xxjmorin.qc99", {"email": "j.morin@example.org"}, PolicyViolation.PERSONAL),
        ("correct horse battery staple", {"name": "Léa Tremblay"}, None),
        ("Une tuque rouge sous la pluie", {"email": "lea@example.org"}, None),
    ],
)
def test_password_policy(password, person, reason):
    assert _refusal(password, **person) == reason


def test_generated_passwords_pass_the_policy():
    for _ in range(200):
        password = services.generate_password(email="ann.lee@example.org", name="Ann Lee")
        assert _refusal(password, email="ann.lee@example.org", name="Ann Lee") is None


def test_the_policy_applies_when_a_password_is_set(app, db, create_user):
    user = create_user(name="Samuel Gagnon")
    with app.app_context():
        with pytest.raises(services.WeakPassword):
            services.set_password(db, user=user, password="samuelgagnon!!")
        with pytest.raises(services.WeakPassword):
            services.create_user(
                db, email="b@example.org", name="B", role=Role.ADMIN, password="sunshine2024"
            )

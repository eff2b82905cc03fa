"""Sign-in failures slow down the guesser, never lock out the account's owner,
and never tell which e-mails have an account (app/accounts/throttle.py)."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlmodel import select

from app.accounts import devices, two_factor
from app.accounts.models import AccountEvent, AccountEventKind, SignInThrottle
from app.security import Role
from tests.conftest import PASSWORD, TOTP_SECRET, extract_csrf_token, fresh_code

OFFICE = "198.51.100.10"
HOME = "198.51.100.20"
STRANGER = "203.0.113.66"


class Browser:
    """A test client that always comes from one address."""

    def __init__(self, app, address):
        self.client = app.test_client()
        self.environ = {"REMOTE_ADDR": address}
        self.engine = app.extensions["mobilis_engine"]

    def moves_to(self, address):
        """The same browser (its cookies) on another network."""
        self.environ = {"REMOTE_ADDR": address}
        return self

    def _post(self, path, data, lang):
        page = self.client.get(f"/{lang}{path}", environ_base=self.environ)
        token = extract_csrf_token(page.get_data(as_text=True))
        return self.client.post(
            f"/{lang}{path}", data={**data, "csrf_token": token}, environ_base=self.environ
        )

    def password(self, email, password=PASSWORD, lang="en"):
        return self._post("/login", {"email": email, "password": password}, lang)

    def sign_in(self, email, password=PASSWORD, lang="en"):
        """Both steps; True when signed in at the end."""
        response = self.password(email, password, lang)
        if response.location == f"/{lang}/login/code":
            self._post("/login/code", {"code": fresh_code(self.engine, email)}, lang)
        return self.signed_in()

    def signed_in(self):
        return self.client.get("/en/account/", environ_base=self.environ).status_code == 200


def _alert(response):
    html = response.get_data(as_text=True)
    start = html.index('role="alert"')
    return html[start : html.index("</p>", start)]


def _throttle_app(make_app, **settings):
    return make_app(LOGIN_RATE_LIMIT="1000 per minute", **settings)


def _longest_pause(db):
    db.expire_all()
    pauses = db.exec(select(SignInThrottle.blocked_until)).all()
    return max((p for p in pauses if p is not None), default=None)


def _end_pauses(db):
    """Let the pauses run out (as waiting would), leaving the counts."""
    db.exec(sa.update(SignInThrottle).values(blocked_until=datetime.now(UTC)))
    db.commit()


def test_strangers_failures_do_not_keep_the_worker_out(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=5)
    worker = create_user(Role.YOUTH_WORKER)
    assert Browser(app, OFFICE).sign_in(worker.email)  # the worker's usual place

    stranger = Browser(app, STRANGER)
    for _ in range(20):
        stranger.password(worker.email, "guessing again")
    # The stranger's own attempts are paused, even with the right password...
    assert "Too many failed attempts" in _alert(stranger.password(worker.email))
    assert not stranger.signed_in()
    # ...and nobody else's: at the office, or from an address never seen.
    assert Browser(app, OFFICE).sign_in(worker.email)
    assert Browser(app, HOME).sign_in(worker.email)


def test_guessing_from_many_places_is_slowed_but_not_at_the_usual_place(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_ACCOUNT_MAX_FAILURES=10)
    worker = create_user(Role.PREVENTION_WORKER)
    assert Browser(app, OFFICE).sign_in(worker.email)
    for n in range(12):
        Browser(app, f"203.0.113.{n + 1}").password(worker.email, "guessing again")
    # A new address waits, as the guessers do; the office does not.
    response = Browser(app, "192.0.2.200").password(worker.email)
    assert "Too many failed attempts" in _alert(response)
    assert Browser(app, OFFICE).sign_in(worker.email)


def test_pauses_grow_and_are_capped(make_app, create_user, db):
    app = _throttle_app(
        make_app, LOGIN_MAX_FAILURES=3, LOGIN_FIRST_DELAY_SECONDS=60, LOGIN_LOCK_MINUTES=5
    )
    user = create_user(Role.COORDINATOR)
    browser = Browser(app, STRANGER)
    for _ in range(2):
        assert "Wrong e-mail or password" in _alert(browser.password(user.email, "wrong"))
    assert _longest_pause(db) is None
    for expected in (60, 120, 240, 300, 300):
        assert "Wrong e-mail or password" in _alert(browser.password(user.email, "wrong"))
        pause = (_longest_pause(db) - datetime.now(UTC)).total_seconds()
        assert expected - 5 < pause <= expected, (expected, pause)
        # While paused, nothing is checked, not even a right password.
        response = browser.password(user.email)
        assert response.status_code == 200
        assert "Too many failed attempts. Wait" in _alert(response)
        assert not browser.signed_in()
        _end_pauses(db)
    # Once the pause is over, the right password works and clears the count.
    assert browser.sign_in(user.email)


def test_the_pause_and_wrong_codes_are_logged(make_app, create_user, db):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=2)
    worker = create_user(Role.YOUTH_WORKER)
    browser = Browser(app, STRANGER)
    browser.password(worker.email, "wrong")
    browser.password(worker.email, "wrong")
    kinds = [e.kind for e in db.exec(select(AccountEvent).order_by(AccountEvent.id)).all()]
    assert kinds == [
        AccountEventKind.WRONG_PASSWORD,
        AccountEventKind.WRONG_PASSWORD,
        AccountEventKind.LOCKED,
    ]


def test_wrong_codes_count_like_wrong_passwords(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=3)
    worker = create_user(Role.YOUTH_WORKER)
    browser = Browser(app, STRANGER)  # has the password, not the phone
    assert browser.password(worker.email).location == "/en/login/code"
    wrong = _wrong_code()
    responses = [browser._post("/login/code", {"code": wrong}, "en") for _ in range(3)]
    # The third starts a pause: back to the password, where even the right one waits.
    assert [r.status_code for r in responses] == [200, 200, 302]
    assert responses[-1].location == "/en/login"
    assert "Too many failed attempts" in _alert(browser.password(worker.email))
    # The worker, elsewhere, is not held up.
    assert Browser(app, OFFICE).sign_in(worker.email)


def _wrong_code():
    step = two_factor.current_step()
    near = {two_factor.code_at(TOTP_SECRET, step + d) for d in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222") if code not in near)


def test_one_address_guessing_at_many_accounts_is_slowed(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_ADDRESS_MAX_FAILURES=6)
    stranger = Browser(app, STRANGER)
    for n in range(6):
        stranger.password(f"someone-{n}@example.org", "guessing")
    user = create_user(Role.COORDINATOR)
    assert "Too many failed attempts" in _alert(stranger.password(user.email))
    assert Browser(app, OFFICE).sign_in(user.email)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.YOUTH_WORKER])
def test_the_answers_do_not_tell_which_emails_exist(make_app, create_user, role):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=3)
    user = create_user(role)
    checks = []

    class CountingHasher(PasswordHasher):
        def verify(self, *args, **kwargs):
            checks.append(1)
            return super().verify(*args, **kwargs)

    app.extensions["password_hashing"].hasher = CountingHasher(
        time_cost=1, memory_cost=64, parallelism=1
    )

    def attempts(email, address):
        browser = Browser(app, address)
        answers = []
        for _ in range(6):
            checks.clear()
            response = browser.password(email, "not the password")
            answers.append((response.status_code, _alert(response), len(checks)))
        return answers

    known = attempts(user.email, "192.0.2.1")
    unknown = attempts("no-such-person@example.org", "192.0.2.2")
    assert known == unknown
    # A password hash is checked for both until the pause, then for neither.
    assert [n for *_answer, n in known] == [1, 1, 1, 0, 0, 0]


def test_nothing_stored_names_the_email_or_the_address(make_app, create_user, database_url):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=2)
    user = create_user(Role.COORDINATOR)
    Browser(app, STRANGER).password("typed.by.stranger@example.org", "x")
    Browser(app, STRANGER).password(user.email, "x")
    office = Browser(app, OFFICE)
    office.sign_in(user.email)
    device = office.client.get_cookie(devices.COOKIE_NAME).value
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM sign_in_throttle")).all()
    engine.dispose()
    dump = " ".join(str(row) for row in rows).lower()
    assert len(rows) >= 5
    for secret in ("typed.by.stranger", user.email, STRANGER, OFFICE, "example.org", device):
        assert secret not in dump, secret


def test_old_failures_are_forgotten(make_app, create_user, db):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=3)
    user = create_user(Role.COORDINATOR)
    browser = Browser(app, STRANGER)
    for _ in range(2):
        browser.password(user.email, "wrong")
    day_ago = datetime.now(UTC) - timedelta(hours=25)
    db.exec(sa.update(SignInThrottle).values(updated_at=day_ago))
    db.commit()
    # Two more failures a day later: counted from one again, so no pause.
    for _ in range(2):
        browser.password(user.email, "wrong")
    assert _longest_pause(db) is None
    assert browser.sign_in(user.email)


# IPv6: a household or an office has a whole /64, and its devices take a new
# address in it every day or so; a guesser can take a new one at every try.
OWNER_V6 = "2001:db8:1:2::a"
OWNER_V6_NEXT_DAY = "2001:db8:1:2:8d3e:41ff:fe00:b"  # a new privacy address, same /64
GUESSER_V6 = "2001:db8:bad:1::{:x}"  # one /64, a new address at each attempt


def test_the_owner_next_ipv6_privacy_address_is_as_trusted_as_the_last(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_ACCOUNT_MAX_FAILURES=10)
    owner = create_user(Role.YOUTH_WORKER)
    assert Browser(app, OWNER_V6).sign_in(owner.email)
    for n in range(12):  # many networks, so that the account itself is paused
        Browser(app, f"2001:db8:bad:{n + 1}::1").password(owner.email, "guessing again")
    # The next day, in a new browser at a new address of the same network: in.
    assert Browser(app, OWNER_V6_NEXT_DAY).sign_in(owner.email)
    # Another network waits, as the guessers do.
    response = Browser(app, "2001:db8:1:3::a").password(owner.email)
    assert "Too many failed attempts" in _alert(response)


def test_one_ipv6_network_guessing_counts_as_one_address(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_ADDRESS_MAX_FAILURES=6)
    for n in range(6):
        Browser(app, GUESSER_V6.format(n + 1)).password(f"someone-{n}@example.org", "guessing")
    user = create_user(Role.COORDINATOR)
    response = Browser(app, GUESSER_V6.format(0x99)).password(user.email)
    assert "Too many failed attempts" in _alert(response)
    assert Browser(app, OFFICE).sign_in(user.email)


def test_one_ipv6_network_guessing_at_one_account_is_paused_as_one_address(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=3)
    user = create_user(Role.COORDINATOR)
    for n in range(3):
        Browser(app, GUESSER_V6.format(n + 1)).password(user.email, "guessing")
    response = Browser(app, GUESSER_V6.format(0x42)).password(user.email)
    assert "Too many failed attempts" in _alert(response)
    assert Browser(app, OWNER_V6).sign_in(user.email)


def test_ipv4_addresses_count_one_by_one_even_written_as_ipv6(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_MAX_FAILURES=3)
    user = create_user(Role.COORDINATOR)
    for _ in range(3):
        Browser(app, "198.51.100.10").password(user.email, "guessing")
    # The same IPv4 address, as a dual-stack server may give it.
    response = Browser(app, "::ffff:198.51.100.10").password(user.email)
    assert "Too many failed attempts" in _alert(response)
    # Its neighbour is another address (IPv4 is counted per /32).
    assert Browser(app, "198.51.100.11").sign_in(user.email)


def _pause_the_account(app, email, attempts=12):
    for n in range(attempts):
        Browser(app, f"203.0.113.{n + 1}").password(email, "guessing again")


def test_a_browser_the_owner_signed_in_with_is_not_paused_anywhere(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_ACCOUNT_MAX_FAILURES=10)
    owner = create_user(Role.YOUTH_WORKER)
    laptop = Browser(app, OFFICE)
    assert laptop.sign_in(owner.email)
    cookie = laptop.client.get_cookie(devices.COOKIE_NAME)
    assert cookie.http_only and cookie.same_site == "Strict" and cookie.path == "/"
    assert cookie.max_age >= 89 * 24 * 3600  # as long as an address stays trusted
    assert owner.email not in cookie.value and str(owner.id) != cookie.value
    _sign_out(laptop)

    _pause_the_account(app, owner.email)
    travelling = "192.0.2.77"  # a network the account never signed in from
    assert "Too many failed attempts" in _alert(Browser(app, travelling).password(owner.email))
    # The owner's own browser signs in there, both steps, after a sign-out even.
    assert laptop.moves_to(travelling).sign_in(owner.email)


def test_the_device_cookie_helps_only_the_accounts_that_signed_in_with_it(make_app, create_user):
    app = _throttle_app(make_app, LOGIN_ACCOUNT_MAX_FAILURES=10)
    owner = create_user(Role.COORDINATOR)
    colleague = create_user(Role.COORDINATOR)
    laptop = Browser(app, OFFICE)
    assert laptop.sign_in(owner.email)
    device = laptop.client.get_cookie(devices.COOKIE_NAME).value
    _sign_out(laptop)
    _pause_the_account(app, colleague.email)
    # The colleague typing in the owner's browser, elsewhere: paused.
    shared = Browser(app, "192.0.2.78")
    shared.client.set_cookie(devices.COOKIE_NAME, device)
    assert "Too many failed attempts" in _alert(shared.password(colleague.email))
    # A device id made up (or one the server never saw) helps nobody.
    _pause_the_account(app, owner.email)
    stranger = Browser(app, STRANGER)
    stranger.client.set_cookie(devices.COOKIE_NAME, "A" * 43)
    assert "Too many failed attempts" in _alert(stranger.password(owner.email))
    # The account's own browser still signs in, from anywhere.
    assert laptop.moves_to("192.0.2.79").sign_in(owner.email)


def _sign_out(browser):
    page = browser.client.get("/en/account/", environ_base=browser.environ)
    token = extract_csrf_token(page.get_data(as_text=True))
    browser.client.post("/en/logout", data={"csrf_token": token}, environ_base=browser.environ)
    assert not browser.signed_in()

"""Every form of the site, filled with hostile data, never answers 500.

The routes come from the URL map, not from a list: a new form is fuzzed the
day it is added. For each route that takes a POST, and each page with a GET
form (filters, periods) or link with a query (months, pages), the fields
are the ones the page really renders (read from its HTML); hypothesis fills
them with unicode, control characters, NUL bytes, huge and negative numbers,
odd dates, ids that do not exist, lists where one value is expected, files of
random bytes, and adds unknown fields or leaves fields out; a field is often sent as the page filled
it in, so that hostile values reach forms that are otherwise valid and get
saved. Each text field also gets a NUL byte with the rest as the page filled
it in (PostgreSQL refuses NUL in text). The CSRF token is always valid: a
wrong one is a 400 before any form code runs, which would test nothing.

Each route is opened by someone who may use it: admin for the staff routes,
the owner for routes to something owned by one person, nobody for the public
forms. Path ids name the real objects of the access matrix's `sample`.
Derandomized, so CI sees the same examples every run.
"""

import re
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.accounts import password_reset
from app.accounts.models import User
from app.help.models import Conversation
from app.reports.models import ApiToken
from app.schools.csvrows import read_rows
from app.security import Role
from tests.conftest import AuthActions, extract_csrf_token
from tests.test_access_matrix import _sample_url, sample  # noqa: F401 (a fixture)

EXAMPLES = 15

# Routes to something owned by one person: opened by that person (the e-mails
# are the owners the `sample` fixture creates).
OWNERS = {
    "help.conversation": "answers@example.org",
    "help.worker_reply": "answers@example.org",
    "help.add_note": "answers@example.org",
    "help.escalate": "answers@example.org",
    "help.reassign": "answers@example.org",
    "help.close": "answers@example.org",
    "help.duty": "answers@example.org",
    "presentations.outcome": "presents@example.org",
    "visits.delete_absence": "absent@example.org",
    "distribution.delete_record": "absent@example.org",
    "reports.revoke_token": "tokens@example.org",
}

# Files the site sends rather than pages with forms: not read for forms.
NOT_PAGES = ("_pdf", "_csv", "_xlsx", "_template", "feed", "card", "poster", "slide", "image")

ADMIN_EMAIL = "fuzz-admin@example.org"

# Static files, and the API (tests/test_fuzz_api.py).
NOT_FORMS = {"static", "api"}


@pytest.fixture
def app(make_app, curriculum_dir, tmp_path):
    """Rate limits off: a refused request (429) would stop the fuzzing at the door."""
    return make_app(
        CURRICULUM_PATH=str(curriculum_dir),
        PDF_CACHE_DIR=str(tmp_path / "pdfs"),
        RATELIMIT_ENABLED=False,
    )


class FormParser(HTMLParser):
    """The forms of a page: action, method, and each named field with its
    type, its offered values (options, radio and checkbox values) and the
    value the page fills in (`current`: what a person sending it unchanged
    would send)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.links = []  # (path, [(name, value)]) of links with a query
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            link = urlsplit(attrs["href"])
            self.links.append((link.path, parse_qsl(link.query, keep_blank_values=True)))
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": {},
                }
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag in {"input", "button"} and name:
            kind = attrs.get("type", "text")
            field = fields.setdefault(name, {"type": kind, "options": [], "current": None})
            value = attrs.get("value")
            if value is not None:
                field["options"].append(value)
                if kind not in {"checkbox", "radio"} or "checked" in attrs:
                    field["current"] = value
        elif tag == "textarea" and name:
            self._textarea = fields.setdefault(
                name, {"type": "textarea", "options": [], "current": ""}
            )
        elif tag == "select" and name:
            self._select = fields.setdefault(
                name, {"type": "select", "options": [], "current": None}
            )
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs or self._select["current"] is None:
                self._select["current"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["current"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html):
    """The page's forms, and its links with a query (a calendar's next month,
    the next page) as GET forms of their own."""
    parser = FormParser()
    parser.feed(html)
    links = []
    for path, query in parser.links:
        fields = {name: {"type": "text", "options": [v], "current": v} for name, v in query}
        links.append({"action": path, "method": "get", "fields": fields})
    return parser.forms + links


ODD = [
    "",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t\x0b\x0c\x1b",
    "0",
    "-1",
    "-0",
    "999999999",
    str(2**63),
    str(-(2**63) - 1),
    "1e309",
    "NaN",
    "inf",
    "3.5",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "30/11/2026",
    "2026-W05",
    "2026-11",
    "2026-11-30T25:61",
    "24:00",
    "-12:30",
    "99:99",
    "‮‭",
    "\ud7ff\ufeff\uffff",
    "😀" * 50,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "x" * 20_000,
    "é" * 5_000,
]


def values(options, ids):
    """One field's value: the page's own options, an existing id, or anything."""
    choices = [
        st.sampled_from(ODD),
        st.text(max_size=30),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(ids),
    ]
    if options:
        choices.append(st.sampled_from(options))
    return st.one_of(*choices)


def upload():
    contents = st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from(
            [
                b"",
                b"\xff\xfe\x00",
                b"name;city\n\x00;x\n",
                b"a,b,c\n" * 500,
                b'"unclosed\n',
                # The import's own headers, with a NUL in a value.
                b"grade,name,teacher_name,size\nsec2,2\x0001,Marc Gagnon,28\n",
                b"name,service_centre,city,region\n\x00cole,Centre,Longueuil,16\n",
            ]
        ),
    )
    return st.tuples(contents, st.sampled_from(["x.csv", "", "../x.csv", "\x00.csv"]))


@st.composite
def submissions(draw, fields, ids):
    """The data of one submission of a form with these fields: each field
    left out, sent as the page filled it in, or replaced by anything (a list
    now and then), so that hostile values also reach forms that are otherwise
    valid and get saved."""
    data = {}
    for name, field in fields.items():
        if name == "csrf_token":
            continue
        choice = draw(st.integers(0, 7))
        if choice == 0:
            continue
        if field["type"] == "file":
            content, filename = draw(upload())
            data[name] = (BytesIO(content), filename)
        elif choice <= 3 and field["current"] is not None:
            data[name] = field["current"]
        elif choice == 4:
            data[name] = draw(st.lists(values(field["options"], ids), max_size=4))
        else:
            data[name] = draw(values(field["options"], ids))
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=12), values([], ids), max_size=2))
    for name, value in extra.items():
        data.setdefault(name, value)
    return data


def fuzz(client, method, url, fields, ids):
    """Send EXAMPLES submissions; fail on the first answer of 500 or more."""
    token = extract_csrf_token(client.get("/fr/help/").get_data(as_text=True))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=submissions(fields, ids))
    def submit(data):
        if method == "post":
            response = client.post(url, data={**data, "csrf_token": token})
        else:
            response = client.get(url, query_string=data)
        response.close()
        assert response.status_code < 500, f"{method.upper()} {url} -> {response.status_code}"

    submit()


def _who(app, rule):
    if rule.endpoint == "accounts.logout":
        return ADMIN_EMAIL  # the sign-out button is shown to signed-in people
    kind, _roles = app.view_functions[rule.endpoint].access_rule
    if kind == "public":
        return None
    return OWNERS.get(rule.endpoint, ADMIN_EMAIL)


def _order(app, rule):
    """By person; in each, GET forms and harmless POSTs first, then what
    deletes or cancels, and signing out last of all."""
    last = ("delete", "deactivate", "cancel", "revoke", "decline", "unassign")
    return (
        _who(app, rule) or "",
        rule.endpoint == "accounts.logout",
        "reactivate" in rule.endpoint,  # once someone is deactivated
        any(word in rule.endpoint for word in last),
        rule.endpoint,
    )


class Forms:
    """The forms this person is shown, read from the pages as they are needed:
    a route's own page first, then every page of its blueprint."""

    def __init__(self, client, app, url_for):
        self.client, self.app, self.url_for = client, app, url_for
        self.found = {}
        self.read = set()

    def read_page(self, url):
        if url in self.read:
            return
        self.read.add(url)
        response = self.client.get(url)
        response.close()
        if response.status_code == 200 and response.mimetype == "text/html":
            self.add(url, response.get_data(as_text=True))

    def add(self, url, html):
        for form in forms_of(html):
            action = urlsplit(form["action"]).path or url
            fields = self.found.setdefault((form["method"], action), {})
            for name, field in form["fields"].items():
                fields.setdefault(name, field)

    def of(self, method, rule):
        """The fields of the form that sends `method` to this rule, or None.

        Pages are read again when the form is not found: what earlier
        submissions did (a feed made, a user deactivated) may show it now.
        """
        url = self.url_for(rule)
        for _again in range(2):
            if "GET" in rule.methods and not rule.endpoint.endswith(NOT_PAGES):
                self.read_page(url)
            if (method, url) in self.found or method == "get":
                break
            blueprint = rule.endpoint.split(".")[0]
            for other in self.app.url_map.iter_rules():
                if (
                    other.endpoint.split(".")[0] == blueprint
                    and "GET" in other.methods
                    and not other.endpoint.endswith(NOT_PAGES)
                ):
                    self.read_page(self.url_for(other))
            if (method, url) in self.found:
                break
            self.read.clear()
        return self.found.get((method, url))


# Fields that take free text (and so a NUL byte straight to the database).
TEXT_TYPES = {"text", "textarea", "email", "search", "tel", "url", "password", "hidden"}

# Pages shown only in the middle of a sign-in, with who is signing in (the
# first step done) so that they show their form.
SECOND_STEPS = {
    "/fr/login/set-up-code": "enrols@example.org",
    "/fr/login/code": "answers@example.org",
}


def nul_bytes(client, method, url, fields):
    """The page's own values (a radio button's first choice when none is
    checked), with a NUL byte in one text field at a time: PostgreSQL refuses
    NUL in text, which must not be a 500."""
    token = extract_csrf_token(client.get("/fr/help/").get_data(as_text=True))
    filled = {
        name: field["current"] if field["current"] is not None else field["options"][0]
        for name, field in fields.items()
        if field["type"] != "file" and (field["current"] is not None or field["type"] == "radio")
    }
    for name, field in fields.items():
        if field["type"] in TEXT_TYPES and name != "csrf_token":
            data = {**filled, name: "a\x00b"}
            if method == "post":
                response = client.post(url, data={**data, "csrf_token": token})
            else:
                response = client.get(url, query_string=data)
            response.close()
            where = f"{method.upper()} {url} {name}=NUL"
            assert response.status_code < 500, f"{where} -> {response.status_code}"


# The new-password form shows only after a live reset link was opened.
RESET_FORM = "/fr/password-reset/"


def _open_a_reset_link(app, db, client, user):
    with app.app_context():
        token = password_reset.start(db, user=user, by=None)
    db.commit()
    client.get(f"/fr/password-reset/{token}")


def test_no_form_answers_500(app, db, create_user, student, sample):  # noqa: F811 (the fixture)
    create_user(Role.ADMIN, email=ADMIN_EMAIL)
    create_user(Role.YOUTH_WORKER, email=SECOND_STEPS["/fr/login/set-up-code"], totp_secret=None)
    target = create_user(Role.YOUTH_WORKER, email="target@example.org")
    # The inbox routes are fuzzed by the youth worker the question went to.
    worker = db.exec(select(User).join(Conversation, Conversation.assigned_to_id == User.id)).one()
    assert worker.email == OWNERS["help.worker_reply"]
    ids = sorted({str(v) for k, v in sample.items() if k.endswith("_id")} | {"999999"})

    def url_for(rule):
        return _sample_url(rule, target.id, sample)

    rules = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] not in NOT_FORMS]
    person, forms = "nobody", None
    fuzzed, formless, failures = [], [], []
    for rule in sorted(rules, key=lambda rule: _order(app, rule)):
        email = _who(app, rule)
        if email != person:
            person = email
            client = student.client if email is None else app.test_client()
            auth = AuthActions(client)
            if email is not None:
                assert auth.login(email).status_code == 302, email
            forms = Forms(client, app, url_for)
            if email is None:
                # The student's reply form is shown once a passphrase opens a question.
                _response, passphrase = student.ask("Une question de test")
                forms.add("/fr/help/check", student.check(passphrase).get_data(as_text=True))
        url = url_for(rule)
        if email is None and url in SECOND_STEPS:
            auth.password_step(SECOND_STEPS[url])
        if email is None and url == RESET_FORM:
            _open_a_reset_link(app, db, client, target)
        try:
            if "POST" in rule.methods:
                fields = forms.of("post", rule)
                if fields is None:
                    formless.append(rule.endpoint)
                else:
                    nul_bytes(client, "post", url, fields)
                fuzz(client, "post", url, fields or {}, ids)
                fuzzed.append(("POST", rule.endpoint))
            # A PDF's query is the page's (fuzzed there); each one takes seconds.
            if "GET" in rule.methods and forms.of("get", rule) and rule.endpoint[-4:] != "_pdf":
                nul_bytes(client, "get", url, forms.of("get", rule))
                fuzz(client, "get", url, forms.of("get", rule), ids)
                fuzzed.append(("GET", rule.endpoint))
        except Exception as error:  # every route's failure, not only the first
            # Hypothesis puts the failing submission in the error's notes.
            notes = " ".join(getattr(error, "__notes__", []))
            failures.append(f"{rule.endpoint}: {error!r} {notes}"[:3000])
    assert not failures, "\n\n".join(failures)
    # Formless (fuzzed with unknown fields alone): confirmations of things the
    # sample does not show (a past absence, a feed or an assignment the
    # fuzzing may not have made, a delivery record to withdraw: the sample's
    # session is planned), which have no field but the CSRF token.
    assert len(fuzzed) > 60 and len(formless) <= 5, (fuzzed, formless)


def test_a_nul_byte_is_refused_with_a_message_and_nothing_is_saved(
    app, db, client, auth, create_user
):
    """PostgreSQL refused the token's name with a NUL byte after the form had
    accepted it (a 500), and SQLite kept it. Now every form refuses it."""
    create_user(Role.COORDINATOR, email="nul@example.org")
    assert auth.login("nul@example.org", lang="en").status_code == 302
    token = auth.csrf_token("/en/reports/tokens")
    response = client.post(
        "/en/reports/tokens", data={"name": "Spread\x00sheet", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "This field contains a character that is not allowed." in response.get_data(as_text=True)
    assert db.exec(select(ApiToken)).all() == []
    client.post("/en/reports/tokens", data={"name": "Spreadsheet", "csrf_token": token})
    assert [t.name for t in db.exec(select(ApiToken)).all()] == ["Spreadsheet"]


def test_a_school_search_with_a_nul_byte_finds_nothing(app, auth, client, create_user, sample):  # noqa: F811
    """It was a 500 on PostgreSQL, which refuses NUL in a LIKE pattern."""
    create_user(Role.COORDINATOR, email="search@example.org")
    auth.login("search@example.org", lang="en")
    assert sample["school_id"] in _school_ids(client.get("/en/schools/?q=secondaire"))
    response = client.get("/en/schools/", query_string={"q": "secondaire\x00"})
    assert response.status_code == 200 and _school_ids(response) == set()


def _school_ids(response):
    html = response.get_data(as_text=True)
    return {int(found) for found in re.findall(r'href="/en/schools/(\d+)/"', html)}


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"grade,name,teacher_name,size\nsec2,2\x0001,Marc Gagnon,28\n", 2),
        ("grade,name\nsec2,201\n".encode("utf-16"), 1),  # Excel's "Unicode text"
    ],
)
def test_a_csv_file_with_a_nul_byte_is_not_text(data, line):
    """A group's name with a NUL byte was saved from a CSV import: a 500 on
    PostgreSQL. Such a file is not text in UTF-8 or Windows-1252."""
    rows, problems = read_rows(data, columns={"grade", "name", "teacher_name", "size"}, required=())
    assert rows == [] and [(p.line, p.code) for p in problems] == [(line, "bad_encoding")]


PATH_ODD = ["\x00", "a\x00b", "x" * 3000, "..", "%", "😀", "-1", str(2**64), " ", "a/b"]


def test_no_text_in_a_path_answers_500(app, client, auth, create_user, sample):  # noqa: F811
    """The URL map's text values (slugs, tokens, file names, sizes, statuses)
    with odd values, NUL bytes among them; ids are <int:…> and refused by
    the URL map itself."""
    create_user(Role.ADMIN, email=ADMIN_EMAIL)
    target = create_user(Role.YOUTH_WORKER, email="target@example.org")
    assert auth.login(ADMIN_EMAIL).status_code == 302
    token = auth.csrf_token("/fr/account/password")
    tried = 0
    for rule in app.url_map.iter_rules():
        for argument in sorted(rule.arguments - {"lang"}):
            if f"<int:{argument}>" in rule.rule:
                continue
            for odd in PATH_ODD:
                url = _sample_url(rule, target.id, {**sample, argument: odd})
                for method in sorted(rule.methods & {"GET", "POST"}):
                    if method == "GET":
                        response = client.get(url)
                    else:
                        response = client.post(url, data={"csrf_token": token})
                    response.close()
                    assert response.status_code < 500, f"{method} {url!r} -> {response.status_code}"
                    tried += 1
    assert tried > 100, tried

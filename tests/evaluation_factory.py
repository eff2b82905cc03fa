"""A class with a code, and a student filling its questionnaire through HTTP."""

from datetime import date
from html.parser import HTMLParser

import pytest

from app.evaluation import codes
from app.schools import services as schools

TODAY = date(2026, 10, 6)  # a Tuesday, the first day of the test visits


@pytest.fixture
def today(monkeypatch):
    """The site's today is TODAY; `today.set(day)` moves it."""

    class Clock:
        def set(self, day):
            monkeypatch.setattr(schools, "local_today", lambda: day)

    clock = Clock()
    clock.set(TODAY)
    return clock


def code_of(app, db, visit, group):
    """The code shown for `group` in `visit`, e.g. "KCM4-TPXA"."""
    key = app.config["EVALUATION_CODE_KEY"]
    row = codes.codes_of_visit(db, key, visit=visit)[group.id]
    db.commit()
    return codes.code_of(key, row.salt)


class _Form(HTMLParser):
    """The questionnaire form's fields: hidden values, and each radio group's choices."""

    def __init__(self):
        super().__init__()
        self.hidden, self.radios = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input":
            return
        if attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value", "")
        elif attrs.get("type") == "radio":
            self.radios.setdefault(attrs["name"], []).append(attrs["value"])


def read_form(html):
    form = _Form()
    form.feed(html)
    return form


def answer(client, url, choose=lambda name, values: values[0], *, skip=(), extra=None):
    """Open the questionnaire at `url` and send it: `choose(name, values)` picks
    each answer; `skip` names fields left unanswered. Returns the response."""
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    form = read_form(page.get_data(as_text=True))
    data = dict(form.hidden)
    for name, values in form.radios.items():
        if name not in skip:
            data[name] = choose(name, values)
    data.update(extra or {})
    return client.post(url, data=data)


def all_right(statements):
    """A `choose` that answers every statement right and agrees strongly:
    `statements` is [answer (bool)] of q1, q2, …, then the confidence items."""

    def choose(name, values):
        if name == "wave":
            return values[0]
        n = int(name[1:]) - 1
        if n < len(statements):
            return "true" if statements[n] else "false"
        return "4"

    return choose


def class_questionnaire(app, db, visit, group):
    """(ClassQuestionnaire, its items) of `group` in `visit`."""
    from app.evaluation import services, waves

    key = app.config["EVALUATION_CODE_KEY"]
    row = codes.codes_of_visit(db, key, visit=visit)[group.id]
    found = waves.questionnaire_of(db, row)
    return found, services.items_of(found, app.extensions["evaluation"].get())


def send(db, found, items, wave, *, students, right, agree="4"):
    """`students` students send `wave`, each answering `right` statements of
    each module right (the first ones) and the others wrong, and `agree` to
    the confidence statements."""
    from app.evaluation import services

    day = found.days[wave]
    for _student in range(students):
        answers, done = {}, {}
        for item in items:
            if item.confidence:
                answers[item.key] = agree
                continue
            n = done[item.module.id] = done.get(item.module.id, 0) + 1
            truth = item.statement.answer if n <= right else not item.statement.answer
            answers[item.key] = "true" if truth else "false"
        services.record_answers(
            db, questionnaire=found, items=items, wave=wave, answers=answers, today=day
        )
    db.commit()

"""Helpers for the anonymous box's tests: asking over HTTP, reading the page."""

import re
import secrets
from datetime import UTC, datetime

import pytest

from app.help.models import Conversation
from tests.conftest import extract_csrf_token

PASSPHRASE = re.compile(r'id="passphrase"[^>]*>([^<]+)<')


def deliver_alerts(app):
    """Run the alert sender once, as the runner or `flask help send-alerts` would."""
    from app.help.alert_runner import send_now

    return send_now(app)


def make_conversation(*, asked=datetime(2026, 10, 1, 10, tzinfo=UTC), replied=None, **values):
    """A conversation row as the box stores it (no message: for routing and
    report tests); `replied` sets the first reply and its whole hours."""
    reply = {}
    if replied is not None:
        reply = {
            "first_reply_at": replied,
            "first_reply_hours": int((replied - asked).total_seconds() // 3600),
        }
    return Conversation(
        **{
            "passphrase_digest": secrets.token_hex(32),
            "lang": "fr",
            "topic": "other",
            "created_at": asked,
            "last_student_at": asked,
            **reply,
            **values,
        }
    )


@pytest.fixture
def student(app):
    """A student's browser: asks over HTTP and returns the passphrase shown."""

    class Student:
        def __init__(self):
            self.client = app.test_client()

        def token(self, lang="fr"):
            return extract_csrf_token(self.client.get(f"/{lang}/help/").get_data(as_text=True))

        def ask(self, body, *, topic="other", school_id=0, lang="fr", **environ):
            response = self.client.post(
                f"/{lang}/help/",
                data={
                    "csrf_token": self.token(lang),
                    "body": body,
                    "topic": topic,
                    "school_id": school_id,
                },
                **({"environ_base": environ} if environ else {}),
            )
            found = PASSPHRASE.search(response.get_data(as_text=True))
            return response, (found.group(1).strip() if found else None)

        def check(self, passphrase, lang="fr", **environ):
            return self.client.post(
                f"/{lang}/help/check",
                data={"csrf_token": self.token(lang), "passphrase": passphrase},
                **({"environ_base": environ} if environ else {}),
            )

        def reply(self, passphrase, body, lang="fr"):
            return self.client.post(
                f"/{lang}/help/reply",
                data={"csrf_token": self.token(lang), "passphrase": passphrase, "body": body},
            )

    return Student()

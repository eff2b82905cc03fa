"""Helpers for the anonymous box's tests: asking over HTTP, reading the page."""

import re

import pytest

from tests.conftest import extract_csrf_token

PASSPHRASE = re.compile(r'id="passphrase"[^>]*>([^<]+)<')


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

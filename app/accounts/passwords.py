"""The password policy: long enough, not a common one, not the person's own name.

Length matters most (NIST SP 800-63B); the list of common passwords from
public breaches (app/data/common-passwords.txt, its source in its header)
catches what attackers try first, and the person's e-mail and name are what
someone who knows them would try next. No rule on character classes: they
make passwords harder to remember without making them harder to guess.
"""

import functools
import re
import unicodedata
from importlib import resources

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

# Digits and symbols people add at the end to satisfy a rule ("Soleil2024!").
_TRAILING = re.compile(r"[\W\d_]+$")
# Parts of a name or e-mail shorter than this are too common to refuse
# ("jo", "li" would rule out many good passwords).
_MIN_PERSONAL_PART = 3


class PolicyViolation(Exception):
    """Why a password was refused: `reason` is one of the constants below."""

    TOO_SHORT = "too_short"
    COMMON = "common"
    PERSONAL = "personal"

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@functools.cache
def common_passwords():
    """The list, read once per process, lower case."""
    text = resources.files("app").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _fold(text):
    """Lower case without accents, so that "Émilie" and "emilie" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_common(password):
    lowered = _fold(password.strip())
    common = common_passwords()
    return lowered in common or _TRAILING.sub("", lowered) in common


def _personal_parts(email, name):
    """The words someone who knows the person would try: e-mail local part and name."""
    parts = set()
    if email:
        local = _fold(email.strip()).split("@", 1)[0]
        parts.add(local)
        parts.update(re.split(r"[\W_]+", local))
    if name:
        parts.update(re.split(r"[\W_]+", _fold(name.strip())))
    return {part for part in parts if len(part) >= _MIN_PERSONAL_PART}


def check(password, *, email=None, name=None):
    """Raise `PolicyViolation` if `password` breaks the policy for this person."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PolicyViolation(PolicyViolation.TOO_SHORT)
    if _is_common(password):
        raise PolicyViolation(PolicyViolation.COMMON)
    folded = _fold(password)
    if any(part in folded for part in _personal_parts(email, name)):
        raise PolicyViolation(PolicyViolation.PERSONAL)

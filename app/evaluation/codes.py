"""Class codes: eight letters and digits a student types or scans.

A code is drawn from 23 characters that cannot be mistaken for one another
on a projected slide or a phone (no 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B): 23^8,
about 7.8 × 10^10 codes (36 bits). Guessing one takes the rate limiter's
patience (views.py) times billions, and a code opens only a questionnaire,
only on its session's days, for at most the class's size.

The database holds no code. Each row has a random salt; the code is an HMAC
of the salt under `EVALUATION_CODE_KEY` (kept beside the site's other keys,
outside the database), and the row is found by another HMAC of the code.
A copy of the database therefore gives no code and no way to test one, and
a code says nothing of its school, class or date. Losing the key changes
every code shown (the answers already counted stay).
"""

import hashlib
import hmac
import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.evaluation.models import EvaluationCode
from app.visits.models import ClassSession, SessionStatus, Visit, VisitStatus

ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
LENGTH = 8
SEPARATOR = "-"
TYPED_NOISE = str.maketrans("", "", " -_.\u00a0\u2010\u2011\u2013")


def _mac(key, purpose, value):
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256)


def code_of(key, salt):
    """The code of a row's salt, e.g. "KCM4-TPXA" (grouped for reading aloud)."""
    number = int.from_bytes(_mac(key, "evaluation-code", salt).digest(), "big")
    characters = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[index])
    half = LENGTH // 2
    return "".join(characters[:half]) + SEPARATOR + "".join(characters[half:])


def digest_of(key, code):
    """The keyed hash a code's row is found by (the code as typed, normalised)."""
    return _mac(key, "evaluation-lookup", normalise(code)).hexdigest()


def normalise(typed):
    """The code as typed, in the form codes are hashed (upper case, no spaces
    nor dashes); None when it cannot be a code."""
    if not isinstance(typed, str):
        return None
    plain = typed.translate(TYPED_NOISE).upper()
    if len(plain) != LENGTH or any(c not in ALPHABET for c in plain):
        return None
    return plain


def find(session, key, typed):
    """The EvaluationCode whose code is `typed`, or None."""
    plain = normalise(typed)
    if plain is None:
        return None
    return session.exec(
        select(EvaluationCode).where(EvaluationCode.digest == digest_of(key, plain))
    ).first()


def evaluated_groups(session, *, visit):
    """The ids of the class groups with a session of `visit` not cancelled."""
    if visit.status == VisitStatus.CANCELLED:
        return []
    return session.exec(
        select(ClassSession.class_group_id)
        .where(ClassSession.visit_id == visit.id, ClassSession.status != SessionStatus.CANCELLED)
        .distinct()
    ).all()


def codes_of_visit(session, key, *, visit):
    """{class group id: EvaluationCode} for each evaluated group of `visit`,
    made the first time they are asked for (a group added later gets its own)."""
    found = {
        row.class_group_id: row
        for row in session.exec(select(EvaluationCode).where(EvaluationCode.visit_id == visit.id))
    }
    for group_id in evaluated_groups(session, visit=visit):
        if group_id not in found:
            found[group_id] = _make(session, key, visit_id=visit.id, group_id=group_id)
    return found


def _make(session, key, *, visit_id, group_id):
    """A new code row; if another request made it first, theirs."""
    while True:
        salt = secrets.token_hex(16)
        row = EvaluationCode(
            visit_id=visit_id,
            class_group_id=group_id,
            salt=salt,
            digest=digest_of(key, code_of(key, salt)),
        )
        try:
            with session.begin_nested():
                session.add(row)
            return row
        except IntegrityError:
            existing = session.exec(
                select(EvaluationCode).where(
                    EvaluationCode.visit_id == visit_id, EvaluationCode.class_group_id == group_id
                )
            ).first()
            if existing is not None:
                return existing
            # Two salts gave the same code (one chance in billions): draw again.


def visit_of(session, code):
    return session.get(Visit, code.visit_id)

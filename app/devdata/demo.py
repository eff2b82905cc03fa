"""Demonstration data: the partners, one account per role, and what each
domain adds (`demo_schools.py`, `demo_outreach.py`, `demo_evaluation.py`). Idempotent: what exists
is left as it is."""

import os
from pathlib import Path

from sqlmodel import select

from app.accounts import services as accounts
from app.accounts import two_factor
from app.accounts.models import PartnerKind, User
from app.db import utcnow
from app.devdata.demo_evaluation import seed_evaluation
from app.devdata.demo_outreach import (
    seed_distribution,
    seed_help,
    seed_partner_figures,
    seed_presentations,
)
from app.devdata.demo_schools import seed_schools, seed_visits
from app.devdata.guard import DEMO_DOMAIN, RealDataPresent, demo_email
from app.security import Role

PARTNERS = [
    ("kekpart", "Maison de jeunes Kekpart", PartnerKind.YOUTH_HOUSE),
    ("spal", "Service de police de l'agglomération de Longueuil", PartnerKind.POLICE),
    ("cjm", "Centre jeunesse de la Montérégie", PartnerKind.YOUTH_CENTRE),
]

USERS = [
    ("admin", "Alexandra Admin", Role.ADMIN, "kekpart"),
    ("coordination", "Camille Coordination", Role.COORDINATOR, "kekpart"),
    ("prevention", "Samuel Tremblay", Role.PREVENTION_WORKER, "kekpart"),
    ("police", "Agente Julie Gagnon", Role.POLICE_OFFICER, "spal"),
    ("intervention", "Karim Benali", Role.YOUTH_WORKER, "cjm"),
]


def _real_user_count(session):
    users = session.exec(select(User.email)).all()
    return sum(1 for email in users if not email.endswith("@" + DEMO_DOMAIN))


def seed(session, *, force=False):
    """Load what is missing; return [(email, role, password, two-factor key or
    None)] of new accounts."""
    real = _real_user_count(session)
    if real and not force:
        raise RealDataPresent(real)
    partners = {}
    for code, name, kind in PARTNERS:
        partner = accounts.get_partner_by_code(session, code)
        if partner is None:
            partner = accounts.create_partner(session, code=code, name=name, kind=kind)
        partners[code] = partner
    created = []
    for local_part, name, role, partner_code in USERS:
        email = demo_email(local_part)
        if accounts.get_user_by_email(session, email) is not None:
            continue
        password = accounts.generate_password(email=email, name=name)
        user = accounts.create_user(
            session,
            email=email,
            name=name,
            role=role,
            password=password,
            partner=partners[partner_code],
        )
        # Enrolled already, so that a reviewer signs in with the key in an
        # authenticator app or `oathtool --totp -b KEY` instead of a QR code.
        secret = None
        if two_factor.required_for(user):
            secret = two_factor.new_secret()
            user.totp_secret = secret
            user.totp_enrolled_at = utcnow()
            session.flush()
        created.append((email, role.value, password, secret))
    seed_schools(session)
    seed_visits(session)
    seed_presentations(session)
    seed_partner_figures(session)
    seed_distribution(session)
    seed_evaluation(session)
    passphrase = seed_help(session)
    if passphrase:
        created.append(("(anonymous question)", "student", passphrase, None))
    return created


def write_sign_ins(instance_path, created):
    """Keep the new demo sign-ins in the instance folder (mode 600) for `make run`."""
    path = Path(instance_path) / "demo-sign-ins.txt"
    if created:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as f:
            for line in sign_in_lines(created):
                f.write(line + "\n")
    return path


def sign_in_lines(created):
    """One line per new sign-in, and the two-factor key on the next when there is one."""
    for email, role, password, secret in created:
        yield f"{role:<18} {email:<32} {password}"
        if secret:
            yield f"{'':<18} two-factor key: {secret}  (oathtool --totp -b {secret})"

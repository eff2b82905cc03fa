"""Demonstration data: the partners, one account per role, and what each
domain adds. Idempotent: what exists is left as it is."""

import os
from pathlib import Path

from sqlmodel import select

from app.accounts import services as accounts
from app.accounts.models import PartnerKind, User
from app.security import Role

DEMO_DOMAIN = "demo.mobilis.example"

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


class RealDataPresent(Exception):
    def __init__(self, count):
        super().__init__(count)
        self.count = count


def demo_email(local_part):
    return f"{local_part}@{DEMO_DOMAIN}"


def _real_user_count(session):
    users = session.exec(select(User.email)).all()
    return sum(1 for email in users if not email.endswith("@" + DEMO_DOMAIN))


def seed(session, *, force=False):
    """Load what is missing; return [(email, role, password)] of new accounts."""
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
        password = accounts.generate_password()
        accounts.create_user(
            session,
            email=email,
            name=name,
            role=role,
            password=password,
            partner=partners[partner_code],
        )
        created.append((email, role.value, password))
    return created


def write_sign_ins(instance_path, created):
    """Keep the new demo sign-ins in the instance folder (mode 600) for `make run`."""
    path = Path(instance_path) / "demo-sign-ins.txt"
    if created:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as f:
            for email, role, password in created:
                f.write(f"{role:<18} {email:<32} {password}\n")
    return path

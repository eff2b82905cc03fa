"""Keeping the `curriculum_module` table in step with the files."""

from dataclasses import dataclass

from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.db import utcnow


@dataclass
class SyncResult:
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0


def sync_modules(session, *, catalogue):
    """Mirror the catalogue's valid modules; mark the vanished ones inactive."""
    result = SyncResult()
    rows = {row.slug: row for row in session.exec(select(CurriculumModule)).all()}
    for module in catalogue.modules:
        meta = module.meta("fr")
        values = {
            "version": module.version,
            "title_fr": module.title("fr"),
            "title_en": module.title("en"),
            "content_hash": module.content_hash,
            "sort_order": module.order,
            "grades": ",".join(meta["grades"]),
            "topics": ",".join(meta["topics"]),
            "duration_minutes": meta["duration_minutes"],
            "updated": module.updated,
            "active": True,
        }
        row = rows.pop(module.slug, None)
        if row is None:
            session.add(CurriculumModule(slug=module.slug, **values))
            result.added += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.synced_at = utcnow()
            result.updated += 1
        else:
            result.unchanged += 1
    for row in rows.values():
        if row.active:
            row.active = False
            row.synced_at = utcnow()
            result.retired += 1
    session.flush()
    return result


def list_mirrored_modules(session):
    return session.exec(
        select(CurriculumModule).order_by(CurriculumModule.sort_order, CurriculumModule.slug)
    ).all()

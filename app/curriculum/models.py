"""The database's mirror of the modules, so visits and reports can refer to them."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class CurriculumModule(SQLModel, table=True):
    __tablename__ = "curriculum_module"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    version: str = Field(max_length=20)
    title_fr: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    content_hash: str = Field(max_length=64)
    sort_order: int
    grades: str = Field(max_length=100)  # comma-separated, e.g. "sec2,sec3"
    topics: str = Field(max_length=200)
    duration_minutes: int
    updated: date
    # False once the module's folder is gone: past sessions still refer to it.
    active: bool = Field(default=True)
    synced_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def title(self, lang):
        return self.title_fr if lang == "fr" else self.title_en

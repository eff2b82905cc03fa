"""What the evaluation keeps: class codes, answers as counts, teachers' feedback.

No table here has a row per student, nor any time finer than the day: a
class's answers are counts per wave and item (`evaluation_answer`), its
submissions a count per wave (`evaluation_wave`), and a code holds only a
random salt and a keyed digest (codes.py), so that the database alone gives
neither the codes nor anything to tie an answer to a person or a moment.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, string_enum, utcnow


class Wave(enum.StrEnum):
    BEFORE = "before"  # the class's first session of the visit
    AFTER = "after"  # its last


class EvaluationCode(SQLModel, table=True):
    """A class group's code for one visit (codes.py derives it from the salt)."""

    __tablename__ = "evaluation_code"
    __table_args__ = (sa.UniqueConstraint("visit_id", "class_group_id"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", ondelete="CASCADE")
    class_group_id: int = Field(foreign_key="class_group.id", index=True, ondelete="RESTRICT")
    salt: str = Field(max_length=32)  # random, hex: with the key, gives the code
    digest: str = Field(max_length=64, unique=True)  # keyed hash of the code, to find it


class WaveCount(SQLModel, table=True):
    """How many students of a class sent a wave's answers."""

    __tablename__ = "evaluation_wave"

    code_id: int = Field(foreign_key="evaluation_code.id", primary_key=True, ondelete="CASCADE")
    wave: Wave = Field(primary_key=True, sa_type=string_enum(Wave))
    responses: int = Field(default=0)


class AnswerCount(SQLModel, table=True):
    """How many students of a class gave `answer` to `item` in a wave.

    `item`: "<module slug>/<statement key>" or "confidence/<key>"
    (questions.item_key); `answer`: "correct", "wrong" or "unsure" for a
    statement, "1" to "4" for a confidence statement."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (sa.Index("ix_evaluation_answer_module", "module_id", "wave"),)

    code_id: int = Field(foreign_key="evaluation_code.id", primary_key=True, ondelete="CASCADE")
    wave: Wave = Field(primary_key=True, sa_type=string_enum(Wave))
    item: str = Field(primary_key=True, max_length=90)
    answer: str = Field(primary_key=True, max_length=10)
    module_id: int | None = Field(default=None, foreign_key="curriculum_module.id")
    count: int = Field(default=0)


class FeedbackStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class TeacherFeedback(SQLModel, table=True):
    """A teacher's rating (1 to 5) and comment on a visit, sent with the
    school's share link. Shown in a report only once a coordinator approves it."""

    __tablename__ = "evaluation_feedback"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    rating: int
    comment: str = Field(default="", max_length=1000)
    lang: str = Field(default="fr", max_length=2)
    received_on: date  # the day only
    status: FeedbackStatus = Field(
        default=FeedbackStatus.PENDING, sa_type=string_enum(FeedbackStatus), index=True
    )


class FeedbackDecision(SQLModel, table=True):
    """Who approved or rejected a feedback, and when: the moderation's log."""

    __tablename__ = "evaluation_feedback_decision"

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="evaluation_feedback.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", ondelete="RESTRICT")
    status: FeedbackStatus = Field(sa_type=string_enum(FeedbackStatus))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

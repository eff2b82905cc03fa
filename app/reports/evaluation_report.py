"""The outcome report's three evaluation sections, as every format shows them.

1. "Evaluation completed or community feedback received": the class waves
   counted, the classes, the students who answered each wave, the waves left
   out (too few answers), the teachers' feedback received and approved, and
   the approved comments.
2. "Summary of the outcomes": the share of correct answers before and after,
   all modules together and module by module, the confidence statements as
   the share who agree, each change with its 95 % interval
   (app/evaluation/results.py, stats.py).
3. "Summary of the performance measure data collected": reach (from the
   outcome report's own rows, hidden as it hides them), questions answered,
   escalations, the knowledge change, the feedback.

Small counts: a class wave answered by fewer students than the threshold is
left out of every figure (results.py), so the shares and their students are
never about fewer; the counts of waves, classes and feedback are hidden from
1 to threshold − 1 ("<5"), and the mean rating when fewer feedbacks than the
threshold make it ("x"), like the median reply time.

Shares and changes are in percent and percentage points, one decimal: the
files hold the numbers, the page and the PDF format them.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.evaluation import feedback, get_questions, results
from app.evaluation.models import Wave
from app.evaluation.questions import CONFIDENCE
from app.reports.suppression import SECONDARY, suppress_value

REACH_KEYS = (
    "schools_visited",
    "groups_reached",
    "sessions_delivered",
    "students_reached",
    "questions_answered",
    "escalations",
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: object  # a count, a mark ("<5", "x"), a float, a text, or None


@dataclass(frozen=True)
class ChangeRow:
    """A share before and after, in percent, with its students, and the
    change in points with its interval; None where a wave is missing."""

    key: str
    label: str
    before: float | None
    before_students: int | None
    after: float | None
    after_students: int | None
    change: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class EvaluationSections:
    completed: tuple  # Figure
    comments: tuple  # (comment, lang) of the approved feedback, without its rating
    knowledge: tuple  # ChangeRow: all modules, then each module
    confidence: tuple  # ChangeRow
    performance: tuple  # Figure
    threshold: int | None


def _points(value):
    return round(value * 100, 1)


def change_row(key, label, change):
    share = {w: getattr(change, w.value) for w in Wave}
    interval = change.interval()
    return ChangeRow(
        key=key,
        label=label,
        before=_points(share[Wave.BEFORE].proportion) if share[Wave.BEFORE] else None,
        before_students=share[Wave.BEFORE].students if share[Wave.BEFORE] else None,
        after=_points(share[Wave.AFTER].proportion) if share[Wave.AFTER] else None,
        after_students=share[Wave.AFTER].students if share[Wave.AFTER] else None,
        change=_points(interval[0]) if interval else None,
        lower=_points(interval[1]) if interval else None,
        upper=_points(interval[2]) if interval else None,
    )


def _pooled(found, completed):
    """Every module's answers together; its students are those who answered."""
    shares = {}
    for result in found:
        for wave in Wave:
            share = getattr(result.change, wave.value)
            if share is not None:
                total = shares.setdefault(wave, [0, 0])
                total[0] += share.positive
                total[1] += share.answers
    return results.Change(
        *(results.Share(*shares[w], completed.responses[w]) if w in shares else None for w in Wave)
    )


def module_rows(session, found, lang):
    """[(result, ChangeRow)] of module results, in the program's order."""
    modules = {m.id: m for m in session.exec(select(CurriculumModule))}
    return [
        (
            result,
            change_row(modules[result.key].slug, modules[result.key].title(lang), result.change),
        )
        for result in sorted(found, key=lambda r: (modules[r.key].sort_order, r.school_id or 0))
    ]


def knowledge_rows(session, found, completed, lang):
    """All modules together, then each module."""
    pooled = change_row("all", _("All modules"), _pooled(found, completed))
    return [pooled, *(row for _result, row in module_rows(session, found, lang))]


def confidence_rows(found, lang):
    texts = {f"{CONFIDENCE}/{c.key}": c.text[lang] for c in get_questions().confidence}
    return [change_row(r.key, texts.get(r.key, r.key), r.change) for r in found]


def change_text(row):
    """ "+25.0 points (95 % CI: +12.3 to +37.1)", in the page's language."""
    if row.change is None:
        return _("not measured (one wave only)")
    return _(
        "%(change)s points (95%% CI: %(lower)s to %(upper)s)",
        change=f"{row.change:+.1f}",
        lower=f"{row.lower:+.1f}",
        upper=f"{row.upper:+.1f}",
    )


def evaluation_sections(session, report, scope, *, threshold, lang):
    """The three sections for `scope` (results.Scope of the report's period
    and regions); `report`: the suppressed OutcomeReport, for reach."""
    completed = results.completed(session, scope, threshold=threshold)
    found = results.results(session, scope, threshold=threshold)
    modules = [r for r in found if not str(r.key).startswith(f"{CONFIDENCE}/")]
    knowledge = knowledge_rows(session, modules, completed, lang)
    opinions = feedback.summary(session, scope)
    few = threshold is not None and opinions.approved < threshold
    rating = SECONDARY if few else opinions.mean_rating
    rating = round(rating, 1) if isinstance(rating, float) else rating

    def small(value):
        return suppress_value(value, threshold) if threshold else value

    before, after = (completed.responses[w] for w in Wave)
    completed_figures = (
        Figure("waves", _("Class questionnaires counted"), small(completed.waves)),
        Figure("classes", _("Classes evaluated"), small(completed.classes)),
        Figure("responses_before", _("Students who answered before"), before),
        Figure("responses_after", _("Students who answered after"), after),
        Figure(
            "waves_left_out", _("Questionnaires left out (too few answers)"),
            small(completed.left_out),
        ),
        Figure("feedback_received", _("Teachers' feedback received"), small(opinions.received)),
        Figure("feedback_approved", _("Teachers' feedback approved"), small(opinions.approved)),
    )  # fmt: skip
    rows = {row.indicator.key: row for row in report.rows()}
    performance = [
        Figure(key, str(rows[key].indicator.label), rows[key].value)
        for key in REACH_KEYS
        if key in rows
    ]
    performance += [
        Figure("knowledge_change", _("Knowledge change, all modules"), change_text(knowledge[0])),
        Figure("feedback_approved", _("Teachers' feedback approved"), small(opinions.approved)),
        Figure("mean_rating", _("Mean rating of the visits (1 to 5)"), rating),
    ]
    return EvaluationSections(
        completed=completed_figures,
        comments=tuple((comment, lang) for _rating, comment, lang in opinions.comments),
        knowledge=tuple(knowledge),
        confidence=tuple(confidence_rows([r for r in found if r not in modules], lang)),
        performance=tuple(performance),
        threshold=threshold,
    )


# The evaluation's two pages of the outcome report's PDF, each fitting its
# page (after pdf-outcomes.css, which the PDF's other pages follow).
PDF_CSS = """
.evaluation h1 { font-size: 15pt; margin: 0.2cm 0 0.15cm; }
.evaluation h2 { font-size: 11pt; margin: 0.25cm 0 0.1cm; }
.evaluation table { font-size: 8.5pt; line-height: 1.2; margin-bottom: 0.2cm; }
.evaluation th, .evaluation td { padding: 0.05cm 0.12cm; }
.evaluation .figures td { width: 18%; }
.evaluation .changes td { width: 20%; }
.evaluation blockquote { font-size: 8.5pt; margin: 0.1cm 0 0.1cm 0.3cm; }
"""


def method_note(threshold):
    """The method in a few sentences, for every format."""
    return (
        _(
            "Each class answers the same true-or-false statements on the modules it sees, and "
            "two confidence statements, on a phone at its first session (before) and at its last "
            "(after). The questionnaire is anonymous: only each class's totals are kept."
        ),
        _(
            "A share is the correct answers out of all answers (for confidence, those who "
            "agree). The change is the share after minus the share before, in percentage "
            "points, with a %(level)s%% interval by Newcombe's hybrid score method (1998, "
            "method 10), "
            "made from the Wilson intervals of the two shares. The before and after answers "
            "cannot be paired, so the waves are treated as independent samples; each wave's "
            "size is its number of students, which makes the interval wide rather than narrow.",
            level=95,
        ),
        _(
            "A class's questionnaire answered by fewer than %(threshold)s students is left out "
            "of every figure, so that no figure, nor a difference of figures, is about fewer "
            "students. A class counts in the period its visit began. Teachers' feedback counts "
            "once a coordinator has approved it; its mean is hidden (“x”) when fewer than "
            "%(threshold)s feedbacks make it.",
            threshold=threshold or 1,
        ),
    )


def sections_of(session, report, *, threshold, lang):
    """The sections of an outcome report's period and regions (its `within`)."""
    scope = results.Scope(report.period.start, report.period.end, within=report.within)
    return evaluation_sections(session, report, scope, threshold=threshold, lang=lang)

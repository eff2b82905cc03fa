"""The student's questionnaire: /<lang>/q/ (type a code) and /<lang>/q/<code>/.

No sign-in and nothing to recognise a student by. These pages never read the
request's address, browser or referrer; their requests leave no access line
(app/jsonlog.py counts /<lang>/q/ as a student's, like /<lang>/help/); the
only cookie is the CSRF session, set when the questionnaire is shown, and it
keeps the one-time tokens of the forms already counted, so that a phone
restoring its tab does not count twice. Every response is `no-store`.

Rate limits, answered 429: pages per address (a class behind one school
address must get through), submissions per browser.
"""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from app.db import get_session
from app.evaluation import code_key, codes, get_questions, services, waves
from app.evaluation.forms import questionnaire_form, wave_labels
from app.evaluation.messages import closed_message, refusal_message, unknown_code_message
from app.evaluation.models import Wave
from app.i18n import current_language
from app.schools import services as schools
from app.security import client_session_key, limiter, public

bp = Blueprint("evaluation", __name__, template_folder="templates")

SENT_KEY = "evaluation_sent"
SENT_KEPT = 8  # the latest tokens kept in the cookie


def _page_limit():
    return current_app.config["EVALUATION_PAGE_RATE_LIMIT"]


def _send_limit():
    return current_app.config["EVALUATION_SEND_RATE_LIMIT"]


def _student_page(template, status=200, **context):
    response = current_app.make_response((render_template(template, **context), status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/<lang:lang>/q/")
@limiter.limit(_page_limit)
@public
def enter_code():
    """A code typed by hand (when the QR code cannot be scanned): a GET form,
    so that typing a code sets no cookie."""
    typed = request.args.get("code")
    if typed is None:
        return _student_page("evaluation/enter_code.html")
    plain = codes.normalise(typed)
    if plain is None:
        return _student_page(
            "evaluation/enter_code.html", 422, typed=typed[:40], error=unknown_code_message()
        )
    return redirect(url_for("evaluation.questionnaire", code=plain))


def _wave(open_waves):
    """The wave the page asks about; None when the student must say which."""
    requested = request.values.get("wave")
    if requested in {w.value for w in open_waves}:
        return Wave(requested)
    return open_waves[0] if len(open_waves) == 1 else None


@bp.route("/<lang:lang>/q/<code>/", methods=["GET", "POST"])
@limiter.limit(_page_limit)
@limiter.limit(_send_limit, methods=["POST"], key_func=client_session_key)
@public
def questionnaire(code):
    db = get_session()
    row = codes.find(db, code_key(), code)
    found = waves.questionnaire_of(db, row) if row is not None else None
    if found is None:
        return _student_page("evaluation/unknown.html", 404, message=unknown_code_message())
    today = schools.local_today()
    open_waves = found.open_waves(today)
    if not open_waves:
        return _student_page(
            "evaluation/closed.html", message=closed_message(found.opens_on(today))
        )
    lang = current_language()
    questions = get_questions()
    items = services.items_of(found, questions)
    wave = _wave(open_waves)
    form = questionnaire_form(items, lang=lang, scale=questions.scale, ask_wave=wave is None)
    if form.validate_on_submit():
        wave = wave or Wave(form.wave.data)
        if form.submission.data and form.submission.data in session.get(SENT_KEY, []):
            return _thanks(items, wave, lang, again=True)
        try:
            services.record_answers(
                db, questionnaire=found, items=items, wave=wave, answers=form.answers(items),
                today=today,
            )  # fmt: skip
        except services.EvaluationError as error:
            return _student_page("evaluation/closed.html", message=refusal_message(error.code))
        _remember(form.submission.data)
        return _thanks(items, wave, lang)
    return _student_page(
        "evaluation/questionnaire.html",
        form=form,
        items=items,
        wave=wave,
        wave_label=wave_labels()[wave] if wave else None,
        lang=lang,
    )


def _remember(submission):
    if submission:
        session[SENT_KEY] = [*session.get(SENT_KEY, [])[-(SENT_KEPT - 1) :], submission]


def _thanks(items, wave, lang, again=False):
    return _student_page(
        "evaluation/thanks.html",
        again=again,
        wave=wave,
        lang=lang,
        statements=[item for item in items if not item.confidence] if wave == Wave.AFTER else [],
    )

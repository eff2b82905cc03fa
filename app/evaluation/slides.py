"""Where a class finds its code: the visit page and its session's slides.

The visit page lists each class group's code and QR code (`class_codes`,
offered to the visit's template by `init_app` as `evaluation_codes(visit)`,
so the visits package needs no import of this one). A class session's copy
of the module's deck (`session_deck_html`) opens with the "before" slide when
it is the class's first session of the visit and ends with the "after" slide
when it is its last: the code, its QR code (which names the wave) and the
address to type. A module without a deck gets those slides and the help
slide only.
"""

from dataclasses import dataclass

from flask import render_template, url_for

from app.curriculum.pdfs import deck_context, qr_data_uri
from app.evaluation import code_key, codes, services, waves
from app.evaluation.models import Wave


@dataclass(frozen=True)
class ClassCode:
    group_id: int
    code: str  # "KCM4-TPXA"
    url: str  # the questionnaire, without a wave
    qr_code: str  # an SVG data: URI of `url`
    days: dict  # Wave -> the day it is open around
    responses: dict  # Wave -> students who answered so far
    sessions: tuple  # (id of the class's first session, id of its last)


def questionnaire_url(code, wave=None, *, lang):
    extra = {"wave": wave.value} if wave is not None else {}
    return url_for(
        "evaluation.questionnaire", lang=lang, code=code.replace("-", ""), _external=True, **extra
    )


def class_codes(session, *, visit, lang):
    """[ClassCode] of each class group of `visit` with a session, by group id."""
    key = code_key()
    rows = codes.codes_of_visit(session, key, visit=visit)
    ends = waves.first_and_last(session, visit=visit)
    found = []
    for group_id in sorted(rows):
        questionnaire = waves.questionnaire_of(session, rows[group_id])
        if questionnaire is None or group_id not in ends:
            continue
        code = codes.code_of(key, rows[group_id].salt)
        url = questionnaire_url(code, lang=lang)
        found.append(
            ClassCode(
                group_id=group_id,
                code=code,
                url=url,
                qr_code=qr_data_uri(url),
                days=questionnaire.days,
                responses={
                    w: services.responses(session, code=rows[group_id], wave=w) for w in Wave
                },
                sessions=ends[group_id],
            )
        )
    return found


def code_slides(session, *, class_session, lang):
    """{"opening": slide, "closing": slide} of a class session: the waves it
    opens or closes, each as {code, url, qr_code, wave}; empty when neither."""
    key = code_key()
    visit = class_session.visit
    rows = codes.codes_of_visit(session, key, visit=visit)
    row = rows.get(class_session.class_group_id)
    first, last = waves.first_and_last(session, visit=visit).get(
        class_session.class_group_id, (None, None)
    )
    if row is None:
        return {}
    code = codes.code_of(key, row.salt)
    slides = {}
    for place, wave, session_id in (("opening", Wave.BEFORE, first), ("closing", Wave.AFTER, last)):
        if session_id == class_session.id:
            url = questionnaire_url(code, wave, lang=lang)
            typed = url_for("evaluation.enter_code", lang=lang, _external=True)
            slides[place] = {"code": code, "qr_code": qr_data_uri(url), "typed": typed}
    return slides


def session_deck_html(session, *, class_session, module, lang, help_url):
    """The HTML of a class session's deck: the module's deck
    (curriculum/pdf/deck.html) with its code slides."""
    context = deck_context(lang=lang, module=module, help_url=help_url, title=module.title(lang))
    return render_template(
        "evaluation/pdf/session_deck.html",
        code_slides=code_slides(session, class_session=class_session, lang=lang),
        **context,
    )

"""The student's side: ask, get a passphrase, come back with it.

These pages never look at the request's address, browser or referrer; the
development server's request log is stripped of addresses (app/help/logs.py);
the only cookie is the CSRF session. Every response is `no-store`, so a
conversation does not stay in the browser's cache or history snapshots.
"""

from flask import Blueprint, current_app, render_template, session
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.core.helplines import load_helplines
from app.db import get_session
from app.help import services
from app.help.alert_runner import remind_after, wake_after_request
from app.help.forms import AskForm, CheckForm, ReplyForm
from app.help.messages import help_error_message, topic_labels
from app.help.vault import vault
from app.i18n import current_language
from app.pagecache import render_with_a_hole, share_form_page
from app.schools import services as schools
from app.security import client_session_key, limiter, public

bp = Blueprint("help", __name__, template_folder="templates")


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _ask_limit():
    return current_app.config["HELP_ASK_RATE_LIMIT"]


def _check_limit():
    return current_app.config["HELP_CHECK_RATE_LIMIT"]


def _reply_limit():
    return current_app.config["HELP_REPLY_RATE_LIMIT"]


def _check_limit_per_address():
    return current_app.config["HELP_CHECK_RATE_LIMIT_PER_ADDRESS"]


def _ask_form():
    form = AskForm()
    form.topic.choices = [SelectChoice(k, v) for k, v in topic_labels().items()]
    return form


def _list_schools(form):
    """The schools to choose from, only when the form is drawn (forms.py)."""
    form.school_id.choices = [SelectChoice(0, _("I'd rather not say"))] + [
        SelectChoice(s.id, s.name) for s in schools.list_all_schools(get_session())
    ]


def _urgent_helplines():
    return load_helplines(current_language(), tag="urgent")


@bp.route("/<lang:lang>/help/", methods=["GET", "POST"])
@limiter.limit(_ask_limit, methods=["POST"])
@public
def ask():
    form = _ask_form()
    if form.validate_on_submit():
        try:
            asked = services.ask(
                get_session(),
                vault=vault(),
                body=form.body.data,
                topic=form.topic.data or "other",
                school_id=form.school_id.data or None,
                lang=current_language(),
                today=schools.local_today(),
                submission=form.submission.data,
                remind_after=remind_after(),
            )
        except services.AlreadySent:
            return _already_sent(form.submission.data)
        except services.HelpError as error:
            form.body.errors.append(help_error_message(error.code))
        else:
            if asked.conversation.urgent:
                wake_after_request()
            _remember_sent(form.submission.data, asked)
            return _sent_page(asked.passphrase, urgent=asked.conversation.urgent)
    _list_schools(form)
    page = render_template("help/ask.html", form=form)
    if not form.is_submitted():
        # The same page for every student but for its tokens: the page
        # cache answers the next ones with their own (app/pagecache.py).
        share_form_page(csrf_token=form.csrf_token.current_token, one_time=[form.submission.data])
    return page


def _sent_page(passphrase, *, urgent, again=False):
    # Drawn once per process and language for each (urgent, again), then only
    # the passphrase is filled in: a class's questions come all at once.
    return render_with_a_hole(
        "help/sent.html",
        (urgent, again),
        hole="passphrase",
        value=passphrase,
        urgent=urgent,
        again=again,
        helplines=_urgent_helplines(),
    )


# A phone that restores a tab sends the form again: the passphrase, which is
# stored nowhere, would be lost. So the student's own session cookie (the CSRF
# one, no new cookie) keeps it sealed (vault.seal_small) with the keyed hash
# of the form's token, until the student opens the conversation with it or
# closes the browser.
SENT_KEY = "help_sent"


def _remember_sent(submission, asked):
    if not submission:
        return
    urgent = "1" if asked.conversation.urgent else "0"  # sealed too: the cookie is only signed
    session[SENT_KEY] = {
        "form": vault().digest(f"sent:{submission}"),
        "sealed": vault().seal_small(urgent + asked.passphrase),
    }


def _already_sent(submission):
    """The same form came a second time: nothing more was saved. The same browser
    sees its passphrase again; any other sees that it was sent."""
    sent = session.get(SENT_KEY)
    if (
        submission
        and isinstance(sent, dict)
        and sent.get("form") == vault().digest(f"sent:{submission}")
    ):
        opened = vault().open_small(str(sent.get("sealed", "")))
        if opened:
            return _sent_page(opened[1:], urgent=opened[0] == "1", again=True)
    return render_template("help/already_sent.html", helplines=_urgent_helplines())


def _conversation_page(conversation, passphrase, form=None, *, sent=False, already=False):
    form = form or ReplyForm(formdata=None, data={"passphrase": passphrase})
    return render_template(
        "help/conversation.html",
        conversation=conversation,
        sent=sent,
        already=already,
        messages=services.messages(get_session(), vault=vault(), conversation=conversation),
        form=form,
        helplines=_urgent_helplines(),
    )


@bp.route("/<lang:lang>/help/check", methods=["GET", "POST"])
@limiter.limit(_check_limit_per_address, methods=["POST"])
@limiter.limit(_check_limit, methods=["POST"], key_func=client_session_key)
@public
def check():
    form = CheckForm()
    if form.validate_on_submit():
        conversation = services.find(get_session(), vault=vault(), passphrase=form.passphrase.data)
        if conversation is not None:
            session.pop(SENT_KEY, None)  # written down and used: no copy kept
            return _conversation_page(conversation, form.passphrase.data)
        form.passphrase.errors.append(
            _("No conversation opens with this passphrase. Check the words and try again.")
        )
    return render_template("help/check.html", form=form)


@bp.route("/<lang:lang>/help/reply", methods=["POST"])
@limiter.limit(_check_limit_per_address)
@limiter.limit(_reply_limit, key_func=client_session_key)
@public
def reply():
    form = ReplyForm()
    conversation = None
    if form.passphrase.data:
        conversation = services.find(get_session(), vault=vault(), passphrase=form.passphrase.data)
    if conversation is None:
        check_form = CheckForm(formdata=None)
        check_form.passphrase.errors = [
            _("No conversation opens with this passphrase. Check the words and try again.")
        ]
        return render_template("help/check.html", form=check_form)
    if form.validate_on_submit():
        try:
            became_urgent = services.student_reply(
                get_session(),
                vault=vault(),
                conversation=conversation,
                body=form.body.data,
                submission=form.submission.data,
                remind_after=remind_after(),
            )
        except services.AlreadySent:
            return _conversation_page(conversation, form.passphrase.data, None, already=True)
        except services.HelpError as error:
            form.body.errors.append(help_error_message(error.code))
        else:
            if became_urgent:
                wake_after_request()
            return _conversation_page(conversation, form.passphrase.data, None, sent=True)
    return _conversation_page(conversation, form.passphrase.data, form)

"""Schools ask for a presentation or a visit; coordinators answer.

The public form has three spam defences and no third-party service: a rate
limit per address (a keyed hash of it, app/security.py), a field hidden from
people that bots fill in, and a minimum time between showing the form and
sending it (the time it was shown travels signed in the form).
"""

import time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import case, func
from sqlmodel import select
from wtforms import SelectChoice

from app.db import get_session
from app.i18n import current_language
from app.paging import Page
from app.presentations import mails, school_requests, services
from app.presentations.forms import DeclineForm, RequestForm
from app.presentations.messages import labels, presentation_error_message
from app.presentations.models import RequestStatus, SchoolRequest
from app.presentations.views import bp
from app.regions.loading import load_or_404, visible
from app.schools import services as schools
from app.schools.models import School
from app.security import Role, limiter, public, role_required

PER_PAGE = 25


def _request_limit():
    return current_app.config["REQUEST_RATE_LIMIT"]


def _stamp_serializer():
    return URLSafeSerializer(current_app.secret_key, salt="school-request-form")


def form_stamp(shown_at=None):
    """The signed time the form was shown."""
    return _stamp_serializer().dumps(time.time() if shown_at is None else shown_at)


def _spam_problem(form):
    """Why this sending looks automatic, or None."""
    if form.website.data:
        return "honeypot"
    try:
        shown_at = float(_stamp_serializer().loads(form.started.data or ""))
    except (BadSignature, TypeError, ValueError):
        return "stamp"
    if time.time() - shown_at < current_app.config["REQUEST_MIN_SECONDS"]:
        return "too_fast"
    return None


SPAM_MESSAGES = {
    "honeypot": lambda: _("Your request could not be sent."),
    "stamp": lambda: _("The form was incomplete: check it and send it again."),
    "too_fast": lambda: _("That was very quick: please check your request, then send it again."),
}


def _request_form():
    form = RequestForm()
    form.kind.choices = [
        SelectChoice("presentation", _("A presentation of the program")),
        SelectChoice("visit", _("A two-week visit to our school")),
    ]
    form.audience.choices = [SelectChoice("", _("— Choose —"))] + [
        SelectChoice(k, v) for k, v in labels()["audience_labels"].items()
    ]
    form.school_id.choices = [SelectChoice(0, _("— Not in the list —"))] + [
        SelectChoice(s.id, s.name) for s in schools.list_all_schools(get_session())
    ]
    return form


@bp.route("/<lang:lang>/request/", methods=["GET", "POST"])
@limiter.limit(_request_limit, methods=["POST"])
@public
def ask():
    form = _request_form()
    status = 200
    if request.method == "POST":
        problem = _spam_problem(form)
        if problem is None and form.validate_on_submit():
            found = school_requests.create_request(
                get_session(),
                values={k: getattr(form, k).data for k in school_requests.REQUEST_FIELDS},
                lang=current_language(),
            )
            mails.mail_requester(found, "received")
            return redirect(url_for("presentations.request_sent"))
        if problem is not None:
            flash(SPAM_MESSAGES[problem](), "error")
            status = 400 if problem == "honeypot" else 200
    form.started.data = form_stamp()
    return render_template("presentations/request_form.html", form=form), status


@bp.route("/<lang:lang>/request/sent")
@public
def request_sent():
    return render_template("presentations/request_sent.html")


# The coordinators' queue -------------------------------------------------------


@bp.route("/<lang:lang>/requests/")
@role_required(Role.COORDINATOR)
def requests():
    session = get_session()
    # Those of the user's regions' schools, and those naming no listed school.
    listed = visible(select(SchoolRequest), SchoolRequest)
    total = session.exec(select(func.count()).select_from(listed.subquery())).one()
    page = Page.requested(PER_PAGE)
    pages = page.count(total)
    rows = session.exec(
        page.of(
            listed.order_by(
                case((SchoolRequest.status == RequestStatus.OPEN, 0), else_=1),
                SchoolRequest.created_at.desc(),
                SchoolRequest.id.desc(),
            )
        )
    ).all()
    return render_template(
        "presentations/requests.html",
        requests=rows,
        page=page.number,
        pages=pages,
    )


def _request_page(found, form, status=200):
    session = get_session()
    return render_template(
        "presentations/request.html",
        found=found,
        form=form,
        school=session.get(School, found.school_id) if found.school_id else None,
        presentation=school_requests.presentation_made(session, request=found),
    ), status


def request_or_404(request_id):
    """The request, or a 404 when it names a school outside the user's regions."""
    return load_or_404(SchoolRequest, request_id)


@bp.route("/<lang:lang>/requests/<int:request_id>/")
@role_required(Role.COORDINATOR)
def request_detail(request_id):
    return _request_page(request_or_404(request_id), DeclineForm(formdata=None))


@bp.route("/<lang:lang>/requests/<int:request_id>/decline", methods=["POST"])
@role_required(Role.COORDINATOR)
def decline_request(request_id):
    found = request_or_404(request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            school_requests.decline_request(
                get_session(), request=found, by=current_user, message=form.message.data
            )
        except services.PresentationError as error:
            form.message.errors.append(presentation_error_message(error))
        else:
            mails.mail_requester(found, "declined")
            flash(_("Request declined: the requester was sent your message."), "success")
            return redirect(url_for("presentations.requests"))
    return _request_page(found, form)

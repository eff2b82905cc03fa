"""Sharing a school's schedule: the share link, the calendar feeds, the PDF.

The public views here are opened by a token instead of a sign-in. They are
never kept by the public page cache (a revoked link must stop working at
once), are marked `no-store` and `noindex`, and the school's page shows no
presenter's name, only what the school needs to welcome the visit.
"""

from datetime import timedelta

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts.models import User
from app.db import get_session
from app.distribution.calendar import campaign_events
from app.forms import Form
from app.i18n import current_language
from app.pdf import PDF_FOLDERS, render_pdf
from app.presentations.feeds import presentation_events
from app.scheduling import ical
from app.schools import services as schools
from app.schools.models import School
from app.security import public, role_required
from app.visits import feeds, schedule, sharing
from app.visits.views import EDITORS, READERS, bp, detail_page, visit_or_404

FEED_DAYS_BACK = 90


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def module_url(module, lang):
    return url_for("curriculum.module", lang=lang, slug=module.slug, _external=True)


# The school's share page, its PDF and its feed ------------------------------


def _school_token_or_404(token):
    found = sharing.find_live(get_session(), token)
    if found is None or found.school_id is None:
        abort(404)
    return found


def _school_schedule(session, school):
    visits = schedule.shared_visits(session, school=school, today=schools.local_today())
    return [
        (visit, schedule.scheduled_sessions(session, visit=visit, live_only=True))
        for visit in visits
    ]


@bp.route("/<lang:lang>/s/<token>/")
@public
def shared_schedule(token):
    session = get_session()
    found = _school_token_or_404(token)
    school = session.get(School, found.school_id)
    visits = _school_schedule(session, school)
    https, webcal = sharing.feed_links(token)
    response = make_response(
        render_template(
            "visits/shared.html",
            school=school,
            token=token,
            visits=visits,
            modules=schedule.modules_of([r for _, rows in visits for r in rows]),
            feed_https=https,
            feed_webcal=webcal,
        )
    )
    return _private(response)


def _schedule_pdf(school, visits, lang):
    title = _("Visit schedule: %(school)s", school=school.name)
    html = render_template(
        "visits/pdf/schedule.html", title=title, school=school, visits=visits, lang=lang
    )
    pdf = render_pdf(html, folders=PDF_FOLDERS)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = _("visit-schedule") + ".pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return _private(response)


@bp.route("/<lang:lang>/s/<token>/schedule.pdf")
@public
def shared_schedule_pdf(token):
    session = get_session()
    found = _school_token_or_404(token)
    school = session.get(School, found.school_id)
    return _schedule_pdf(school, _school_schedule(session, school), current_language())


@bp.route("/ical/<token>.ics")
@public
def ical_feed(token):
    session = get_session()
    found = sharing.find_live(session, token)
    if found is None:
        abort(404)
    g.lang = found.lang  # the feed's texts are in the language it was made in
    today = schools.local_today()
    since = today - timedelta(days=FEED_DAYS_BACK)
    extra = []
    if found.school_id is not None:
        owner = session.get(School, found.school_id)
        rows = schedule.scheduled_sessions(session, school=owner, since=since)
        name = _("MOBILIS visits: %(school)s", school=owner.name)
    else:
        owner = session.get(User, found.user_id)
        if owner is None or not owner.active:
            abort(404)
        rows = schedule.scheduled_sessions(session, presenter=owner, since=since)
        name = _("MOBILIS: my sessions (%(name)s)", name=owner.name)
        extra = [
            *presentation_events(session, user=owner, since=since, lang=found.lang),
            *campaign_events(since=since, today=today, lang=found.lang),
        ]
    events = feeds.session_events(
        rows,
        lang=found.lang,
        module_url=lambda m: module_url(m, found.lang),
        with_school=found.user_id is not None,
    )
    body = ical.feed([*events, *extra], name=name)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="mobilis.ics"'
    return _private(response)


# Staff: the visit's PDF, issuing and revoking the school's link --------------


@bp.route("/<lang:lang>/visits/<int:visit_id>/schedule.pdf")
@role_required(*READERS)
def schedule_pdf(visit_id):
    session = get_session()
    visit = visit_or_404(visit_id)
    school = session.get(School, visit.school_id)
    rows = schedule.scheduled_sessions(session, visit=visit, live_only=True)
    return _schedule_pdf(school, [(visit, rows)], current_language())


def link_made(made, **page):
    """The page that shows a token just made, the only time it is shown."""
    https, webcal = sharing.feed_links(made.token)
    return _private(
        make_response(
            render_template("visits/link_made.html", feed_https=https, feed_webcal=webcal, **page)
        )
    )


def confirm_renew(form, **page):
    """Asks before a new link replaces the live one (which then opens nothing)."""
    return render_template("visits/confirm_renew.html", form=form, **page)


@bp.route("/<lang:lang>/visits/<int:visit_id>/share", methods=["GET", "POST"])
@role_required(*EDITORS)
def share(visit_id):
    """Make the school's link and show it, once, at the top of the visit's
    page (with copy buttons: the school's staff get it by e-mail or a
    message). Replacing a live link is
    confirmed first (the form then says `replace`): a stale page's "make the
    link" button cannot take the school's working link away."""
    visit = visit_or_404(visit_id)
    session = get_session()
    school = session.get(School, visit.school_id)
    back = url_for("visits.detail", visit_id=visit.id, _anchor="share")
    live = sharing.live_token(session, school=school) is not None
    form = Form()
    if form.validate_on_submit() and (not live or request.form.get("replace") == "1"):
        made = sharing.issue_token(session, school=school, lang=current_language())
        https, webcal = sharing.feed_links(made.token)
        new_link = {
            "message": _("New link made: the previous one no longer works.")
            if live
            else _("Link made: send it to the school."),
            "share_url": sharing.share_url(made.token, lang=made.row.lang),
            "feed_https": https,
            "feed_webcal": webcal,
        }
        return _private(make_response(detail_page(visit, new_link=new_link)))
    if not live:
        return redirect(back)
    return confirm_renew(
        form,
        title=_("Make a new link for %(school)s?", school=school.name),
        explanation=_(
            "The current link stops working at once: the school's staff will no longer open "
            "the schedule or the calendar feed with it. Send them the new link."
        ),
        button=_("Make a new link"),
        back=back,
    )


@bp.route("/<lang:lang>/visits/<int:visit_id>/share/revoke", methods=["GET", "POST"])
@role_required(*EDITORS)
def revoke_share(visit_id):
    visit = visit_or_404(visit_id)
    school = get_session().get(School, visit.school_id)
    form = Form()
    if form.validate_on_submit():
        sharing.revoke_token(get_session(), school=school)
        flash(_("The school's link no longer works."), "success")
        return redirect(url_for("visits.detail", visit_id=visit.id, _anchor="share"))
    return render_template(
        "visits/confirm_revoke.html",
        form=form,
        title=_("Turn off the link of %(school)s?", school=school.name),
        explanation=_(
            "The school's staff will no longer open the schedule or the calendar feed with "
            "this link. You can make a new link later."
        ),
        back=url_for("visits.detail", visit_id=visit.id),
    )

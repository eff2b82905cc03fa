"""A staff member's agenda: what they gave and have yet to record, this week's
sessions, the later ones, with the materials; their calendar feed, and the
times they cannot present. A prevention worker lands here after signing in."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.forms import Form
from app.i18n import current_language
from app.paging import Page
from app.presentations import services as presentations
from app.scheduling import availability
from app.scheduling.models import Absence
from app.schools import services as schools
from app.security import login_required
from app.visits import schedule, sharing
from app.visits.forms import AbsenceForm
from app.visits.models import SessionStatus
from app.visits.share_views import confirm_renew, link_made
from app.visits.views import EDITORS, bp

PER_PAGE = 20
# Sessions to record shown at most (the oldest first): more is a backlog for the
# visit pages, not a list to scroll on a phone.
TO_RECORD_SHOWN = 20

ABSENCE_ERRORS = {
    "both_times": lambda: _("Give both times, or neither for the whole day."),
    "order": lambda: _("The end must come after the start."),
}


def _to_record(session, today):
    """The user's sessions before today that nobody recorded as given nor
    cancelled: for those who may record them, else none."""
    if not current_user.has_role(*EDITORS):
        return []
    return schedule.scheduled_sessions(
        session,
        presenter=current_user,
        until=today - timedelta(days=1),
        live_only=True,
        status=SessionStatus.PLANNED,
    )


def _agenda(form):
    session = get_session()
    today = schools.local_today()
    sunday = today + timedelta(days=6 - today.weekday())
    rows = schedule.scheduled_sessions(session, presenter=current_user, since=today, live_only=True)
    this_week = [r for r in rows if r.session.on_date <= sunday]
    later = rows[len(this_week) :]
    page = Page.requested(PER_PAGE)
    pages = page.count(len(later))
    shown = later[page.offset : page.offset + page.size]
    to_record = _to_record(session, today)
    return render_template(
        "visits/agenda.html",
        to_record=to_record[:TO_RECORD_SHOWN],
        to_record_count=len(to_record),
        this_week=schedule.by_day(this_week) if page.number == 1 else [],
        days=schedule.by_day(shown),
        modules=schedule.modules_of(this_week + shown),
        page=page.number,
        pages=pages,
        feed=sharing.live_token(session, user=current_user),
        absences=availability.absences_of(session, user=current_user, since=today),
        presentations=presentations.upcoming_for(session, user=current_user, since=today),
        form=form,
    )


@bp.route("/<lang:lang>/agenda/")
@login_required
def agenda():
    return _agenda(AbsenceForm())


@bp.route("/<lang:lang>/agenda/absences", methods=["POST"])
@login_required
def add_absence():
    form = AbsenceForm()
    if form.validate_on_submit():
        try:
            availability.add_absence(
                get_session(),
                user=current_user,
                on_date=form.on_date.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
                note=form.note.data or "",
            )
        except availability.AbsenceError as error:
            form.starts_at.errors.append(ABSENCE_ERRORS[error.code]())
        else:
            flash(_("Absence noted: the planner will not book you then."), "success")
            return redirect(url_for("visits.agenda", _anchor="availability"))
    return _agenda(form)


@bp.route("/<lang:lang>/agenda/absences/<int:absence_id>/delete", methods=["POST"])
@login_required
def delete_absence(absence_id):
    session = get_session()
    absence = session.get(Absence, absence_id)
    if absence is None or absence.user_id != current_user.id:
        abort(404)
    if Form().validate_on_submit():
        session.delete(absence)
        flash(_("Absence removed."), "success")
    return redirect(url_for("visits.agenda", _anchor="availability"))


@bp.route("/<lang:lang>/agenda/feed", methods=["GET", "POST"])
@login_required
def agenda_feed():
    """Make the person's calendar address and show it, once; replacing a live
    one is confirmed first, as for a school's link (share_views.share)."""
    session = get_session()
    back = url_for("visits.agenda", _anchor="feed")
    live = sharing.live_token(session, user=current_user) is not None
    form = Form()
    if form.validate_on_submit() and (not live or request.form.get("replace") == "1"):
        made = sharing.issue_token(session, user=current_user, lang=current_language())
        return link_made(
            made,
            title=_("My calendar feed"),
            message=_("Your calendar link is ready. Keep it to yourself."),
            back=back,
            back_label=_("Back to my agenda"),
        )
    if not live:
        return redirect(back)
    return confirm_renew(
        form,
        title=_("Make a new calendar address?"),
        explanation=_(
            "The current address stops working at once: calendars subscribed with it will no "
            "longer receive your sessions until you subscribe them with the new one."
        ),
        button=_("Make a new address"),
        back=back,
    )


@bp.route("/<lang:lang>/agenda/feed/revoke", methods=["GET", "POST"])
@login_required
def revoke_agenda_feed():
    form = Form()
    if form.validate_on_submit():
        sharing.revoke_token(get_session(), user=current_user)
        flash(_("Your calendar link no longer works."), "success")
        return redirect(url_for("visits.agenda", _anchor="feed"))
    return render_template(
        "visits/confirm_revoke.html",
        form=form,
        title=_("Turn off your calendar link?"),
        explanation=_(
            "Calendars subscribed with this link will stop receiving your sessions. "
            "You can make a new link later."
        ),
        back=url_for("visits.agenda"),
    )

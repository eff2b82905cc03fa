"""Joint presentations: the list, the calendar shared with visits, planning
one with the "find a time" helper, and recording how it went."""

import calendar
from datetime import date, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select
from wtforms import SelectChoice

from app.accounts.models import User
from app.curriculum import get_catalogue
from app.curriculum.models import CurriculumModule
from app.db import get_session
from app.distribution.calendar import campaign_days
from app.i18n import current_language
from app.paging import page_count, requested_page
from app.presentations import mails, services
from app.presentations.forms import FindTimeForm, OutcomeForm, PresentationForm
from app.presentations.messages import labels, presentation_error_message
from app.presentations.models import (
    Presentation,
    PresentationModule,
    PresentationStatus,
    RequestKind,
    RequestStatus,
    SchoolRequest,
)
from app.regions.loading import current_regions, load_or_404, visible
from app.regions.services import load_in_regions
from app.schools import services as schools
from app.schools.models import School, ServiceCentre
from app.security import Role, login_required, role_required
from app.visits.forms import CancelForm
from app.visits.messages import conflict_message
from app.visits.models import Visit, VisitStatus

bp = Blueprint("presentations", __name__, template_folder="templates")
bp.context_processor(labels)

PER_PAGE = 20


def presentation_or_404(presentation_id, *, to_change=False):
    """The presentation, or a 404 when it does not exist or lies outside the
    regions the user is limited to. One that names no school or centre is no
    other region's: every region sees it (app/regions/services.py), but only
    a user of every region may change it (`to_change`), as with province-wide
    days off: otherwise one region could take it, or cancel it, for all."""
    return load_or_404(Presentation, presentation_id, shared=not to_change)


@bp.route("/<lang:lang>/presentations/")
@login_required
def index():
    session = get_session()
    today = schools.local_today()
    past = bool(request.args.get("past"))
    query = visible(select(Presentation), Presentation)
    if past:
        query = query.where(Presentation.on_date < today).order_by(
            Presentation.on_date.desc(), Presentation.starts_at.desc()
        )
    else:
        query = query.where(Presentation.on_date >= today).order_by(
            Presentation.on_date, Presentation.starts_at
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = requested_page()
    rows = session.exec(query.offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return render_template(
        "presentations/index.html",
        presentations=rows,
        past=past,
        page=page,
        pages=page_count(total=total, per_page=PER_PAGE, page=page),
        open_requests=session.exec(
            visible(
                select(func.count())
                .select_from(SchoolRequest)
                .where(SchoolRequest.status == RequestStatus.OPEN),
                SchoolRequest,
            )
        ).one(),
    )


@bp.route("/<lang:lang>/presentations/<int:presentation_id>/")
@login_required
def detail(presentation_id):
    session = get_session()
    presentation = presentation_or_404(presentation_id)
    travel = current_app.config["TRAVEL_MINUTES"]
    conflicts = services.presentation_conflicts(
        session, presentation=presentation, travel_minutes=travel
    )
    return render_template(
        "presentations/detail.html",
        presentation=presentation,
        school=session.get(School, presentation.school_id) if presentation.school_id else None,
        centre=(
            session.get(ServiceCentre, presentation.service_centre_id)
            if presentation.service_centre_id
            else None
        ),
        presenters=services.presenters(session, presentation=presentation),
        modules=_modules_of(session, presentation),
        conflicts=[conflict_message(c) for c in conflicts],
        may_change=load_in_regions(
            session, current_user, Presentation, presentation.id, shared=False
        )
        is not None,
        may_record=_may_record(session, presentation),
        from_request=(
            session.get(SchoolRequest, presentation.request_id) if presentation.request_id else None
        ),
    )


def _modules_of(session, presentation):
    """(mirrored module, its deck is there) for each module it uses."""
    rows = session.exec(
        select(CurriculumModule)
        .join(PresentationModule)
        .where(PresentationModule.presentation_id == presentation.id)
        .order_by(CurriculumModule.sort_order)
    ).all()
    catalogue = get_catalogue()
    loaded = {m.slug: catalogue.get(m.slug) for m in rows}  # None: no longer published
    return [(m, loaded[m.slug] is not None and loaded[m.slug].has_deck) for m in rows]


def _may_record(session, presentation):
    return current_user.has_role(Role.COORDINATOR) or services.is_presenter(
        session, presentation=presentation, user=current_user
    )


@bp.route("/<lang:lang>/calendar/")
@login_required
def joint_calendar():
    """A month of presentations and visits, with the campaigns under way, for
    everyone in the partnership."""
    session = get_session()
    today = schools.local_today()
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    presentations = (
        select(Presentation)
        .where(Presentation.on_date >= grid_start, Presentation.on_date <= grid_end)
        .order_by(Presentation.on_date, Presentation.starts_at)
    )
    visits = (
        select(Visit, School.name)
        .join(School, School.id == Visit.school_id)
        .where(
            Visit.starts_on <= grid_end,
            Visit.ends_on >= grid_start,
            Visit.status != VisitStatus.CANCELLED,
        )
        .order_by(School.name)
    )
    presentations = session.exec(visible(presentations, Presentation)).all()
    visits = session.exec(visible(visits, Visit)).all()
    days = {}
    for p in presentations:
        days.setdefault(p.on_date, {"presentations": [], "visits": []})["presentations"].append(p)
    for visit, school_name in visits:
        day = max(visit.starts_on, grid_start)
        while day <= min(visit.ends_on, grid_end):
            if day.weekday() < 5:
                cell = days.setdefault(day, {"presentations": [], "visits": []})
                cell["visits"].append((visit, school_name))
            day += timedelta(days=1)
    weeks = [
        [grid_start + timedelta(days=7 * w + d) for d in range(7)]
        for w in range(((grid_end - grid_start).days + 1) // 7)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render_template(
        "presentations/calendar.html",
        first=first,
        weeks=weeks,
        days=days,
        today=today,
        previous=f"{previous:%Y-%m}",
        following=f"{following:%Y-%m}",
        may_open_visits=current_user.has_role(
            Role.COORDINATOR, Role.PREVENTION_WORKER, Role.POLICE_OFFICER
        ),
        campaigns=campaign_days(grid_start, grid_end, lang=current_language()),
    )


# Planning: the form and the "find a time" helper ----------------------------


def _choices(form, session, presentation=None):
    """The form's choices: the schools and centres of the user's regions (and
    the centre the presentation already names, which may lie in another)."""
    none = SelectChoice(0, _("— None —"))
    regions = current_regions()
    keep = presentation.service_centre_id if presentation is not None else None
    form.audience.choices = [SelectChoice(k, v) for k, v in labels()["audience_labels"].items()]
    form.school_id.choices = [none] + [
        SelectChoice(s.id, s.name) for s in schools.list_all_schools(session, regions)
    ]
    form.service_centre_id.choices = [none] + [
        SelectChoice(c.id, c.name)
        for c in schools.list_service_centres(session, regions, keep=keep)
    ]
    form.police_ids.choices = [
        SelectChoice(u.id, u.name) for u in services.police_officers(session)
    ]
    form.worker_ids.choices = [
        SelectChoice(u.id, u.name) for u in services.youth_house_workers(session)
    ]
    form.module_ids.choices = [
        SelectChoice(m.id, m.title(current_language()))
        for m in session.exec(
            select(CurriculumModule)
            .where(CurriculumModule.active)
            .order_by(CurriculumModule.sort_order)
        ).all()
    ]
    return form


def _arg_time(name):
    try:
        return time.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _arg_date(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _initial(session, presentation, school_request):
    """What the form shows first: the presentation, else the request it
    answers, then a time chosen with the helper (from the address)."""
    data = {}
    if presentation is not None:
        data = {k: getattr(presentation, k) for k in services.FIELDS}
        people = services.presenters(session, presentation=presentation)
        data["police_ids"] = [p.id for p in people if services.is_police(p)]
        data["worker_ids"] = [p.id for p in people if services.is_youth_house(p)]
        data["module_ids"] = [m.id for m, _deck in _modules_of(session, presentation)]
    elif school_request is not None:
        data = {
            "audience": school_request.audience,
            "organisation": school_request.organisation,
            "school_id": school_request.school_id,
            "notes": school_request.notes,
            "request_id": school_request.id,
        }
    chosen = {
        "on_date": _arg_date("on_date"),
        "starts_at": _arg_time("starts_at"),
        "ends_at": _arg_time("ends_at"),
    }
    data.update({k: v for k, v in chosen.items() if v is not None})
    for field, arg in (("police_ids", "police"), ("worker_ids", "worker")):
        if request.args.get(arg, type=int):
            data[field] = [request.args.get(arg, type=int)]
    return data


def _find_times(session, form, place):
    """The helper's proposals, when its form was sent (GET), else None."""
    if not request.args.get("find") or not form.validate():
        return None
    return services.find_times(
        session,
        # From tomorrow at the earliest: nobody plans one for later today.
        start=max(form.start.data, schools.local_today() + timedelta(days=1)),
        duration_minutes=form.duration.data,
        place=place,
        police=session.get(User, form.police_id.data or 0),
        worker=session.get(User, form.worker_id.data or 0),
        travel_minutes=current_app.config["TRAVEL_MINUTES"],
    )


def _open_request(request_id):
    if not request_id:
        return None
    found = load_or_404(SchoolRequest, request_id)
    if found.kind != RequestKind.PRESENTATION or found.status != RequestStatus.OPEN:
        abort(404)
    return found


def _plan(presentation):
    session = get_session()
    request_id = request.values.get("request", type=int) or request.form.get("request_id", type=int)
    school_request = None if presentation else _open_request(request_id)
    form = PresentationForm(data=_initial(session, presentation, school_request))
    form = _choices(form, session, presentation)
    finder = FindTimeForm(
        formdata=request.args if request.args.get("find") else None,
        data={"start": schools.local_today() + timedelta(days=1), "duration": 90},
    )
    finder.police_id.choices = [SelectChoice(0, _("Anyone")), *form.police_ids.choices]
    finder.worker_id.choices = [SelectChoice(0, _("Anyone")), *form.worker_ids.choices]
    conflicts = []
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in services.FIELDS}
        values["school_id"] = values["school_id"] or None
        values["service_centre_id"] = values["service_centre_id"] or None
        people = [session.get(User, i) for i in [*form.police_ids.data, *form.worker_ids.data]]
        chosen_modules = [session.get(CurriculumModule, i) for i in form.module_ids.data]
        try:
            saved = services.save_presentation(
                session,
                presentation=presentation,
                values=values,
                presenters=[p for p in people if p is not None],
                modules=[m for m in chosen_modules if m is not None],
                travel_minutes=current_app.config["TRAVEL_MINUTES"],
                by=current_user,
                request=school_request,
            )
        except services.PresentationConflicts as error:
            session.rollback()
            conflicts = [conflict_message(c) for c in error.conflicts]
            form.on_date.errors.append(presentation_error_message(error))
        except services.PresentationError as error:
            session.rollback()
            form.police_ids.errors.append(presentation_error_message(error))
        else:
            if school_request is not None:
                mails.mail_requester(school_request, "accepted", presentation=saved)
            flash(_("Presentation saved: it is in its presenters' calendars."), "success")
            return redirect(url_for("presentations.detail", presentation_id=saved.id))
    place = None
    if presentation is not None:
        place = presentation.school_id
    elif school_request is not None:
        place = school_request.school_id
    return render_template(
        "presentations/form.html",
        form=form,
        finder=finder,
        slots=_find_times(session, finder, place),
        presentation=presentation,
        school_request=school_request,
        conflicts=conflicts,
        names={c.value: c.label for c in [*form.police_ids.choices, *form.worker_ids.choices]},
    )


@bp.route("/<lang:lang>/presentations/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new():
    return _plan(None)


@bp.route("/<lang:lang>/presentations/<int:presentation_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(presentation_id):
    presentation = presentation_or_404(presentation_id, to_change=True)
    if presentation.status != PresentationStatus.PLANNED:
        flash(_("This presentation can no longer be changed."), "error")
        return redirect(url_for("presentations.detail", presentation_id=presentation.id))
    return _plan(presentation)


# After the day, or instead of it -----------------------------------------------


@bp.route("/<lang:lang>/presentations/<int:presentation_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(presentation_id):
    session = get_session()
    presentation = presentation_or_404(presentation_id)
    if not _may_record(session, presentation):
        abort(404)  # presenters and coordinators only; others are told nothing
    form = OutcomeForm(obj=presentation)
    if form.validate_on_submit():
        try:
            services.record_outcome(
                session,
                presentation=presentation,
                actual_audience=form.actual_audience.data,
                follow_ups=form.follow_ups.data,
                today=schools.local_today(),
            )
        except services.PresentationError as error:
            form.actual_audience.errors.append(presentation_error_message(error))
        else:
            flash(_("Recorded: the presentation was held."), "success")
            return redirect(url_for("presentations.detail", presentation_id=presentation.id))
    return render_template("presentations/outcome.html", form=form, presentation=presentation)


@bp.route("/<lang:lang>/presentations/<int:presentation_id>/cancel", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def cancel(presentation_id):
    presentation = presentation_or_404(presentation_id, to_change=True)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_presentation(
                get_session(), presentation=presentation, reason=form.reason.data
            )
        except services.PresentationError as error:
            form.reason.errors.append(presentation_error_message(error))
        else:
            flash(_("Presentation cancelled: calendars will show it as cancelled."), "success")
            return redirect(url_for("presentations.detail", presentation_id=presentation.id))
    return render_template("presentations/cancel.html", form=form, presentation=presentation)

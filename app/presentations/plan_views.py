"""Planning a joint presentation: its form, pre-filled from a school's
request or from a time the "find a time" helper proposed."""

from datetime import date, time, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from wtforms import SelectChoice

from app.accounts.models import User
from app.curriculum.models import CurriculumModule
from app.db import get_session
from app.i18n import current_language
from app.presentations import mails, school_requests, services
from app.presentations.forms import FindTimeForm, PresentationForm
from app.presentations.messages import labels, presentation_error_message
from app.presentations.models import PresentationStatus, RequestKind, RequestStatus, SchoolRequest
from app.presentations.views import bp, modules_of, presentation_or_404
from app.regions.loading import current_regions, load_or_404
from app.scheduling.messages import conflict_message
from app.scheduling.slots import WORKING_HOURS
from app.schools import services as schools
from app.security import Role, role_required


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
        data["module_ids"] = [m.id for m, _deck in modules_of(session, presentation)]
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
            )
            if school_request is not None:
                school_requests.accept_request(
                    session, request=school_request, by=current_user, presentation=saved
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
        working_hours=WORKING_HOURS,
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

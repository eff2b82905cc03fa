"""Visits: the list, a new visit, the two-week grid, sessions and deliveries."""

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from app.accounts.models import User
from app.curriculum.models import CurriculumModule
from app.db import get_session
from app.i18n import current_language
from app.presentations import mails, school_requests
from app.presentations.models import RequestKind, RequestStatus, SchoolRequest
from app.regions.loading import current_regions, load_or_404, visible
from app.scheduling.messages import conflict_message
from app.schools import services as schools
from app.schools.models import School
from app.security import Role, role_required
from app.visits import records, schedule, services, sharing
from app.visits.forms import VisitForm
from app.visits.messages import labels, visit_error_message
from app.visits.models import ClassSession, RecordAction, Visit

bp = Blueprint("visits", __name__, template_folder="templates")
bp.context_processor(labels)

READERS = (Role.COORDINATOR, Role.PREVENTION_WORKER, Role.POLICE_OFFICER)
EDITORS = (Role.COORDINATOR, Role.PREVENTION_WORKER)


def visit_or_404(visit_id):
    """The visit, or a 404 when it does not exist or its school lies outside
    the regions the user is limited to (app/regions/services.py)."""
    return load_or_404(Visit, visit_id)


def session_or_404(visit, session_id):
    class_session = load_or_404(ClassSession, session_id)
    if class_session.visit_id != visit.id:
        abort(404)
    return class_session


def _active_users(role):
    return (
        get_session()
        .exec(select(User).where(User.role == role, User.active).order_by(User.name))
        .all()
    )


def modules():
    return (
        get_session()
        .exec(
            select(CurriculumModule)
            .where(CurriculumModule.active)
            .order_by(CurriculumModule.sort_order)
        )
        .all()
    )


@bp.route("/<lang:lang>/visits/")
@role_required(*READERS)
def index():
    session = get_session()
    today = schools.local_today()
    visits = session.exec(visible(select(Visit), Visit).order_by(Visit.starts_on.desc())).all()
    names = {s.id: s.name for s in schools.list_all_schools(session, current_regions())}
    return render_template(
        "visits/index.html",
        upcoming=sorted((v for v in visits if v.ends_on >= today), key=lambda v: v.starts_on),
        past=[v for v in visits if v.ends_on < today],
        school_names=names,
    )


@bp.route("/<lang:lang>/visits/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new():
    session = get_session()
    form = VisitForm().set_choices(
        schools.list_all_schools(session, current_regions()),
        _active_users(Role.PREVENTION_WORKER),
        _active_users(Role.POLICE_OFFICER),
        _("— None —"),
    )
    school_request = _open_visit_request()
    if school_request is not None and not form.is_submitted() and school_request.school_id:
        form.school_id.data = school_request.school_id
    suggested = None
    if form.validate_on_submit():
        starts_on = _chosen_start() or form.starts_on.data
        form.starts_on.data = starts_on
        try:
            visit = services.create_visit(
                session,
                school=load_or_404(School, form.school_id.data),
                starts_on=starts_on,
                workers=[session.get(User, i) for i in form.workers.data],
                police_officer=session.get(User, form.police_officer_id.data) or None,
                by=current_user,
            )
        except services.VisitError as error:
            form.starts_on.errors.append(visit_error_message(error))
            suggested = error.values.get("next_day")
        else:
            if school_request is not None:
                school_requests.accept_request(
                    session, request=school_request, by=current_user, visit=visit
                )
                mails.mail_requester(school_request, "accepted", visit=visit)
            flash(_("Visit planned: add its sessions, or let the planner propose them."), "success")
            return redirect(url_for("visits.detail", visit_id=visit.id))
    return render_template(
        "visits/visit_form.html", form=form, school_request=school_request, suggested=suggested
    )


def _chosen_start():
    """The school day the worker chose by its button when the day they typed
    was not one (`choose_start`), or None."""
    try:
        return date.fromisoformat(request.form.get("choose_start", ""))
    except ValueError:
        return None


def _open_visit_request():
    """The school's open request for a visit this form answers (`?request=`), if any."""
    request_id = request.values.get("request", type=int)
    if not request_id:
        return None
    found = load_or_404(SchoolRequest, request_id)
    if found.kind != RequestKind.VISIT or found.status != RequestStatus.OPEN:
        abort(404)
    return found


@bp.route("/<lang:lang>/visits/<int:visit_id>/")
@role_required(*READERS)
def detail(visit_id):
    return detail_page(visit_or_404(visit_id))


def detail_page(visit, new_link=None):
    """The visit's page; `new_link`, just made, shows at its top, the only
    time it can be shown (share_views.share)."""
    session = get_session()
    school = session.get(School, visit.school_id)
    travel = current_app.config["TRAVEL_MINUTES"]
    conflicts = services.visit_conflicts(session, visit=visit, travel_minutes=travel)
    cells = {}
    for s in visit.sessions:
        for n in range(s.first_period, s.first_period + s.period_count):
            cells.setdefault((s.on_date, n), []).append(s)
    all_modules = {m.id: m for m in modules()}
    return render_template(
        "visits/detail.html",
        visit=visit,
        school=school,
        days=services.visit_days(session, visit=visit, school=school),
        cells=cells,
        team=services.team(session, visit=visit),
        conflicts=[conflict_message(c) for c in conflicts],
        flagged={key for c in conflicts for key in c.keys},
        groups={g.id: g for g in services.class_groups_for(session, visit=visit)},
        modules=all_modules,
        module_titles={i: m.title(current_language()) for i, m in all_modules.items()},
        taught_modules=records.taught_modules(session, visit=visit),
        record_changes=[
            (change, who)
            for change, who in records.changes_of(session, visit=visit)
            if change.action != RecordAction.DELIVERED
        ],
        today=schools.local_today(),
        presenters=schedule.presenter_names(session, visit=visit),
        next_statuses=services.NEXT_STATUSES[visit.status],
        # The link itself is shown once, when made: otherwise only its date.
        share_link=sharing.live_token(session, school=school),
        new_link=new_link,
    )

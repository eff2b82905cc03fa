"""Joint presentations: the list, one presentation, and how it went (or
that it was cancelled). Planning one is in plan_views.py, the month shared
with visits in month_views.py."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from app.curriculum import get_catalogue
from app.curriculum.models import CurriculumModule
from app.db import get_session
from app.paging import Page
from app.presentations import services
from app.presentations.forms import OutcomeForm
from app.presentations.messages import labels, presentation_error_message
from app.presentations.models import (
    Presentation,
    PresentationModule,
    RequestStatus,
    SchoolRequest,
)
from app.regions.loading import load_or_404, visible
from app.regions.services import load_in_regions
from app.scheduling.forms import CancelForm
from app.scheduling.messages import conflict_message
from app.schools import services as schools
from app.schools.models import School, ServiceCentre
from app.security import Role, login_required, role_required

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
    page = Page.requested(PER_PAGE)
    pages = page.count(total)
    rows = session.exec(page.of(query)).all()
    return render_template(
        "presentations/index.html",
        presentations=rows,
        past=past,
        page=page.number,
        pages=pages,
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
        modules=modules_of(session, presentation),
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


def modules_of(session, presentation):
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

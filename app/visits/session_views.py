"""Class sessions of a visit: add, change, cancel, lock; the planner; the visit's status.

Delivery records are in record_views.py."""

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import SelectChoice

from app.accounts.models import User
from app.curriculum.models import CurriculumModule
from app.db import get_session
from app.formats import date_text, time_range_text
from app.forms import Form
from app.i18n import current_language
from app.scheduling.forms import CancelForm
from app.scheduling.messages import conflict_message
from app.schools.calendar_views import day_off_label
from app.schools.models import ClassGroup, School
from app.security import role_required
from app.visits import plan_preview, planning, schedule, services
from app.visits.forms import SessionChangeForm, SessionForm
from app.visits.messages import visit_error_message
from app.visits.views import EDITORS, bp, modules, session_or_404, visit_or_404


def _session_form(session, visit, form_class=SessionForm, **data):
    school = session.get(School, visit.school_id)
    form = form_class(data=data or None)
    if form.class_group_id is not None:
        groups = services.class_groups_for(session, visit=visit)
        form.class_group_id.choices = [SelectChoice(g.id, g.name) for g in groups]
    lang = current_language()
    form.module_id.choices = [SelectChoice(m.id, m.title(lang)) for m in modules()]
    days = services.visit_days(session, visit=visit, school=school)
    form.on_date.choices = [SelectChoice(d.isoformat(), date_text(d, "weekday")) for d in days]
    form.first_period.choices = [
        SelectChoice(p.number, f"{p.number} ({time_range_text(p.starts_at, p.ends_at)})")
        for p in school.periods
    ]
    form.presenters.choices = [
        SelectChoice(u.id, u.name) for u in services.team(session, visit=visit)
    ]
    return form


def _submit_session(session, visit, form, save, *, error_field, done, group=None):
    """Validate the session form and `save(**values)`: on success flash `done` and
    go back to the visit; on conflicts roll back and answer 409 with them listed."""
    conflicts = []
    if form.validate_on_submit():
        try:
            save(
                module=session.get(CurriculumModule, form.module_id.data),
                on_date=date.fromisoformat(form.on_date.data),
                first_period=form.first_period.data,
                period_count=form.period_count.data,
                room=form.room.data or "",
                presenters=[session.get(User, i) for i in form.presenters.data],
                travel_minutes=current_app.config["TRAVEL_MINUTES"],
            )
        except services.SessionConflicts as error:
            session.rollback()
            conflicts = [conflict_message(c) for c in error.conflicts]
        except services.VisitError as error:
            session.rollback()
            error_field.errors.append(visit_error_message(error))
        else:
            flash(done, "success")
            return redirect(url_for("visits.detail", visit_id=visit.id))
    status = 409 if conflicts else 200
    return render_template(
        "visits/session_form.html", form=form, visit=visit, conflicts=conflicts, group=group
    ), status


@bp.route("/<lang:lang>/visits/<int:visit_id>/sessions/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_session(visit_id):
    session = get_session()
    visit = visit_or_404(visit_id)
    form = _session_form(session, visit)
    return _submit_session(
        session,
        visit,
        form,
        lambda **values: services.add_session(
            session,
            visit=visit,
            class_group=session.get(ClassGroup, form.class_group_id.data),
            **values,
        ),
        error_field=form.class_group_id,
        done=_("Session added."),
    )


@bp.route(
    "/<lang:lang>/visits/<int:visit_id>/sessions/<int:session_id>/edit",
    methods=["GET", "POST"],
)
@role_required(*EDITORS)
def edit_session(visit_id, session_id):
    session = get_session()
    visit = visit_or_404(visit_id)
    class_session = session_or_404(visit, session_id)
    if class_session.status != "planned":
        flash(_("Only a planned session can be changed."), "error")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    form = _session_form(
        session,
        visit,
        SessionChangeForm,
        module_id=class_session.module_id,
        on_date=class_session.on_date.isoformat(),
        first_period=class_session.first_period,
        period_count=class_session.period_count,
        room=class_session.room,
        presenters=sorted(
            schedule.presenters_by_session(session, [class_session.id]).get(class_session.id, ())
        ),
    )
    return _submit_session(
        session,
        visit,
        form,
        lambda **values: services.update_session(session, class_session=class_session, **values),
        error_field=form.first_period,
        done=_("Session changed."),
        group=session.get(ClassGroup, class_session.class_group_id),
    )


@bp.route(
    "/<lang:lang>/visits/<int:visit_id>/sessions/<int:session_id>/cancel",
    methods=["GET", "POST"],
)
@role_required(*EDITORS)
def cancel_session(visit_id, session_id):
    visit = visit_or_404(visit_id)
    class_session = session_or_404(visit, session_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(
                get_session(), class_session=class_session, reason=form.reason.data
            )
        except services.VisitError as error:
            form.reason.errors.append(visit_error_message(error))
        else:
            flash(_("Session cancelled."), "success")
            return redirect(url_for("visits.detail", visit_id=visit.id))
    return render_template("visits/cancel.html", form=form, visit=visit)


@bp.route("/<lang:lang>/visits/<int:visit_id>/status/<status>", methods=["POST"])
@role_required(*EDITORS)
def set_status(visit_id, status):
    visit = visit_or_404(visit_id)
    if not Form().validate_on_submit():
        return redirect(url_for("visits.detail", visit_id=visit.id))
    try:
        services.set_visit_status(get_session(), visit=visit, status=status)
    except (services.VisitError, ValueError):
        flash(_("This change of status is not possible."), "error")
    else:
        flash(_("Visit status changed."), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id))


@bp.route("/<lang:lang>/visits/<int:visit_id>/plan", methods=["GET", "POST"])
@role_required(*EDITORS)
def plan(visit_id):
    """The planner's proposal, previewed; applied only when the worker
    confirms the very proposal they saw (its fingerprint): if anything moved
    in between, the new proposal is shown instead, and nothing is saved."""
    session = get_session()
    visit = visit_or_404(visit_id)
    proposal = planning.propose_plan(
        session, visit=visit, travel_minutes=current_app.config["TRAVEL_MINUTES"]
    )
    form = Form()
    changed = False
    if form.validate_on_submit():
        if request.form.get("fingerprint") == proposal.fingerprint:
            outcome = planning.apply_plan(session, proposal=proposal)
            flash(
                ngettext("%(num)s session planned.", "%(num)s sessions planned.", outcome.placed),
                "success",
            )
            return redirect(url_for("visits.detail", visit_id=visit.id))
        changed = True
    names = {u.id: u.name for u in services.team(session, visit=visit)}
    return render_template(
        "visits/plan_preview.html",
        form=form,
        visit=visit,
        proposal=proposal,
        rows=plan_preview.preview_rows(session, proposal=proposal, names=names),
        changed=changed,
        day_off_label=day_off_label,
    )


@bp.route("/<lang:lang>/visits/<int:visit_id>/sessions/<int:session_id>/lock", methods=["POST"])
@role_required(*EDITORS)
def lock_session(visit_id, session_id):
    visit = visit_or_404(visit_id)
    class_session = session_or_404(visit, session_id)
    if Form().validate_on_submit():
        services.toggle_lock(get_session(), class_session=class_session)
    return redirect(url_for("visits.detail", visit_id=visit.id))

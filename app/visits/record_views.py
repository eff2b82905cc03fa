"""A session's delivery record: record it, correct it, put it back to planned.

The rules, and the log of who changed a record, are in records.py; these
pages head with the session they are about (school, class group, day,
periods, planned module), so that on a visit of thirty sessions nobody
records the wrong one.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.db import get_session
from app.forms import Form
from app.i18n import current_language
from app.schools import services as schools
from app.schools.models import ClassGroup, School
from app.security import role_required
from app.visits import records, schedule
from app.visits.forms import DeliveryForm
from app.visits.messages import visit_error_message
from app.visits.models import SessionStatus
from app.visits.views import EDITORS, bp, modules, session_or_404, visit_or_404


def _about(session, visit, class_session):
    """What the page heads with: the session as the schedule shows it."""
    row = next(
        r for r in schedule.scheduled_sessions(session, visit=visit) if r.session == class_session
    )
    return {
        "visit": visit,
        "class_session": class_session,
        "row": row,
        "school": session.get(School, visit.school_id),
        "group": session.get(ClassGroup, class_session.class_group_id),
        "changes": records.changes_of(session, class_session=class_session),
        "module_titles": {m.id: m.title(current_language()) for m in modules()},
    }


def _record_from(form):
    return records.Record(
        attendance=form.attendance.data,
        delivered_module_id=form.delivered_module_id.data,
        attendance_girls=form.girls.data,
        attendance_boys=form.boys.data,
        attendance_other=form.other.data,
        notes=form.notes.data or "",
    )


def _form(class_session):
    """The record form, filled with the record to correct, or the planned module."""
    found = records.current_record(class_session)
    data = {"delivered_module_id": class_session.module_id}
    if found is not None:
        data = {
            "attendance": found.attendance,
            "girls": found.attendance_girls,
            "boys": found.attendance_boys,
            "other": found.attendance_other,
            "delivered_module_id": found.delivered_module_id,
            "notes": found.notes,
        }
    form = DeliveryForm(data=data)
    lang = current_language()
    form.delivered_module_id.choices = [SelectChoice(m.id, m.title(lang)) for m in modules()]
    return form


@bp.route(
    "/<lang:lang>/visits/<int:visit_id>/sessions/<int:session_id>/deliver",
    methods=["GET", "POST"],
)
@role_required(*EDITORS)
def deliver(visit_id, session_id):
    """Record a session as delivered, or correct its record."""
    session = get_session()
    visit = visit_or_404(visit_id)
    class_session = session_or_404(visit, session_id)
    correcting = class_session.status == SessionStatus.DELIVERED
    form = _form(class_session)
    if form.validate_on_submit():
        save = records.correct_delivery if correcting else records.record_delivery
        try:
            changed = save(
                session,
                class_session=class_session,
                record=_record_from(form),
                by=current_user,
                today=schools.local_today(),
            )
        except records.VisitError as error:
            form.attendance.errors.append(visit_error_message(error))
        else:
            if not correcting:
                flash(_("Delivery recorded."), "success")
            elif changed:
                flash(_("Record corrected."), "success")
            else:
                flash(_("Nothing changed in the record."), "success")
            return redirect(url_for("visits.detail", visit_id=visit.id))
    return render_template(
        "visits/deliver.html",
        form=form,
        correcting=correcting,
        too_early=class_session.on_date > schools.local_today(),
        **_about(session, visit, class_session),
    )


@bp.route(
    "/<lang:lang>/visits/<int:visit_id>/sessions/<int:session_id>/withdraw",
    methods=["GET", "POST"],
)
@role_required(*EDITORS)
def withdraw_delivery(visit_id, session_id):
    """Put a delivered session back to planned, once confirmed."""
    session = get_session()
    visit = visit_or_404(visit_id)
    class_session = session_or_404(visit, session_id)
    form = Form()
    if class_session.status != SessionStatus.DELIVERED:
        flash(_("This session has no delivery record."), "error")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    if form.validate_on_submit():
        records.withdraw_delivery(session, class_session=class_session, by=current_user)
        flash(_("The session is planned again: its record no longer counts."), "success")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    return render_template(
        "visits/withdraw.html", form=form, **_about(session, visit, class_session)
    )

"""Coordinators choose which youth workers answer a school's questions.

A school's questions go first to the youth workers assigned here, and to the
team of its current or last visit (app/help/routing.py). These pages show
names only: nothing of any conversation.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.accounts.models import User
from app.db import get_or_404, get_session
from app.forms import Form
from app.help import routing
from app.help.errors import HelpError
from app.help.forms import SchoolWorkerForm
from app.help.messages import help_error_message
from app.help.views import bp
from app.schools import services as schools
from app.schools.views import school_or_404
from app.security import Role, role_required


@bp.route("/<lang:lang>/schools/<int:school_id>/youth-workers", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def school_workers(school_id):
    session = get_session()
    school = school_or_404(school_id)  # another region's school is not found
    choices = routing.assignable(session, school_id=school.id)
    form = SchoolWorkerForm()
    form.user_id.choices = [SelectChoice(u.id, u.name) for u in choices]
    if form.validate_on_submit():
        worker = session.get(User, form.user_id.data or 0)
        try:
            routing.assign(session, school_id=school.id, user=worker)
        except HelpError as problem:
            form.user_id.errors.append(help_error_message(problem.code))
        else:
            flash(
                _(
                    "%(name)s now answers the questions from %(school)s.",
                    name=worker.name,
                    school=school.name,
                ),
                "success",
            )
            return redirect(url_for("help.school_workers", school_id=school.id))
    return render_template(
        "help/school_workers.html",
        school=school,
        form=form,
        assigned=routing.assigned(session, school_id=school.id),
        team=routing.visit_team(session, school_id=school.id, today=schools.local_today()),
    )


@bp.route(
    "/<lang:lang>/schools/<int:school_id>/youth-workers/<int:user_id>/remove", methods=["POST"]
)
@role_required(Role.COORDINATOR)
def unassign_school_worker(school_id, user_id):
    school = school_or_404(school_id)
    worker = get_or_404(User, user_id)
    if Form().validate_on_submit():
        if routing.unassign(get_session(), school_id=school.id, user_id=worker.id):
            flash(
                _(
                    "%(name)s no longer answers the questions from %(school)s.",
                    name=worker.name,
                    school=school.name,
                ),
                "success",
            )
        else:
            flash(_("%(name)s was not assigned to this school.", name=worker.name), "error")
    return redirect(url_for("help.school_workers", school_id=school.id))

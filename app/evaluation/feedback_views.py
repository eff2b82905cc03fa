"""Teachers' feedback: sent with the school's share link, read by coordinators.

/<lang>/s/<token>/feedback is opened by the school's share token, like the
school's schedule (app/visits/share_views.py): no sign-in, `no-store`,
`noindex`, a revoked link opens nothing. /<lang>/evaluation/feedback/ is the
coordinators' list, within their regions (app/regions/), where each comment
is approved or rejected before any report shows it.
"""

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from app.db import get_session
from app.evaluation import feedback
from app.evaluation.forms import DecisionForm, FeedbackForm, rating_labels
from app.evaluation.models import TeacherFeedback
from app.evaluation.views import bp
from app.i18n import current_language
from app.paging import Page
from app.regions.loading import load_or_404, visible
from app.schools import services as schools
from app.schools.models import School
from app.security import Role, limiter, public, role_required
from app.visits import sharing

PER_PAGE = 20


def _feedback_limit():
    return current_app.config["EVALUATION_FEEDBACK_RATE_LIMIT"]


def _private(html, status=200):
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def feedback_error_message(error):
    if error.code == "names":
        return _(
            "Your comment seems to name someone (“%(names)s”). To protect the students, write "
            "no name, neither a student's nor a staff member's: “a student”, “the worker” will do.",
            names="”, “".join(error.names),
        )
    return {
        "visit": _("Choose one of the visits in the list."),
        "rating": _("Choose a rating from 1 to 5."),
        "long": _("The comment is too long: 1,000 characters at most."),
    }[error.code]


@bp.route("/<lang:lang>/s/<token>/feedback", methods=["GET", "POST"])
@limiter.limit(_feedback_limit, methods=["POST"])
@public
def teacher_feedback(token):
    db = get_session()
    found = sharing.find_live(db, token)
    if found is None or found.school_id is None:
        abort(404)
    school = db.get(School, found.school_id)
    today = schools.local_today()
    visits = feedback.visits_to_rate(db, school=school, today=today)
    form = FeedbackForm().set_choices(visits)
    if visits and form.validate_on_submit():
        try:
            feedback.save_feedback(
                db, school=school, visit_id=form.visit_id.data, rating=form.rating.data,
                comment=form.comment.data, lang=current_language(), today=today,
            )  # fmt: skip
        except feedback.FeedbackError as error:
            field = form.comment if error.code in ("names", "long") else form.rating
            field.errors = [*field.errors, feedback_error_message(error)]
        else:
            back = url_for("visits.shared_schedule", token=token)
            return _private(render_template("evaluation/feedback_sent.html", back=back))
    page = render_template(
        "evaluation/feedback_form.html", form=form, school=school, visits=visits, token=token
    )
    return _private(page, 200)


@bp.route("/<lang:lang>/evaluation/feedback/")
@role_required(Role.COORDINATOR)
def feedback_list():
    db = get_session()
    page = Page.requested(PER_PAGE)
    rows, total = feedback.listing(db, visible(select(TeacherFeedback), TeacherFeedback), page=page)
    return render_template(
        "evaluation/feedback_list.html",
        rows=rows,
        decisions=feedback.decisions(db, [row[0].id for row in rows]),
        labels=rating_labels(),
        page=page.number,
        pages=page.count(total),
    )


@bp.route("/<lang:lang>/evaluation/feedback/<int:feedback_id>/decide", methods=["POST"])
@role_required(Role.COORDINATOR)
def decide_feedback(feedback_id):
    found = load_or_404(TeacherFeedback, feedback_id)
    form = DecisionForm()
    back = url_for("evaluation.feedback_list", _anchor=f"feedback-{found.id}")
    if not form.validate_on_submit():
        flash(_("Choose to approve or to reject the feedback."), "error")
        return redirect(back)
    feedback.decide(get_session(), feedback=found, status=form.status.data, by=current_user)
    flash(
        _("Feedback approved: it now counts in the reports.")
        if form.status.data == "approved"
        else _("Feedback rejected: no report shows it."),
        "success",
    )
    return redirect(back)

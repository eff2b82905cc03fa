"""Schools, their bell schedules and class groups."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.db import get_or_404, get_session
from app.forms import Form
from app.i18n import current_language
from app.paging import Page
from app.regions.loading import current_regions, load_or_404
from app.schools import services
from app.schools.forms import GRADE_CHOICES, ClassGroupForm, SchoolForm
from app.schools.models import ClassGroup, School, SchoolYear
from app.security import Role, login_required, role_required

bp = Blueprint("schools", __name__, template_folder="templates")

# Who may change schools, calendars and class groups (admins always may).
EDITORS = (Role.COORDINATOR, Role.PREVENTION_WORKER)
SCHOOL_FIELDS = (
    "name",
    "service_centre_id",
    "address",
    "city",
    "region_code",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def error_message(error):
    messages = {
        services.DuplicateName.code: lambda v: _("“%(name)s” already exists.", **v),
        services.BadBellSchedule.code: lambda v: _(
            "“%(period)s” is not a period: write start-end times like 08:15-09:30, in order.", **v
        ),
        services.BadDates.code: lambda v: _("These dates are not valid for this school year."),
        services.OutsideRegions.code: lambda v: _("Choose one of the regions you work in."),
    }
    return messages[error.code](error.values)


@bp.route("/<lang:lang>/schools/")
@login_required
def index():
    query = (request.args.get("q") or "").strip()[:100]
    page = Page.requested(current_app.config["USERS_PER_PAGE"])
    schools, total = services.search_schools(
        get_session(), query=query, page=page, regions=current_regions()
    )
    pages = page.count(total)
    return render_template(
        "schools/index.html",
        schools=schools,
        total=total,
        page=page.number,
        pages=pages,
        query=query,
    )


def _school_form(school):
    """The form, offering the centres and regions of the user's regions (and
    the centre the school already has, which may lie in another region)."""
    regions = current_regions()
    keep = school.service_centre_id if school is not None else None
    centres = services.list_service_centres(get_session(), regions, keep=keep)
    data = None
    if school is not None:
        data = {
            **{k: getattr(school, k) for k in SCHOOL_FIELDS},
            "bell_schedule": services.format_bell_schedule(school.periods),
        }
    form = SchoolForm(data=data).set_centres(centres, current_language(), regions=regions)
    return form, centres


def _save_school(school):
    form, centres = _school_form(school)
    if not centres:
        flash(_("Add a school service centre first."), "info")
        return redirect(url_for("schools.new_centre"))
    if form.validate_on_submit():
        values = {k: getattr(form, k).data or "" for k in SCHOOL_FIELDS}
        try:
            school = services.save_school(
                get_session(),
                school=school,
                values=values,
                bell_schedule=form.bell_schedule.data,
                regions=current_regions(),
            )
        except services.OutsideRegions as error:
            form.region_code.errors.append(error_message(error))
        except services.BadBellSchedule as error:
            form.bell_schedule.errors.append(error_message(error))
        except services.DuplicateName as error:
            form.name.errors.append(error_message(error))
        else:
            flash(_("School saved."), "success")
            return redirect(url_for("schools.detail", school_id=school.id))
    return render_template("schools/school_form.html", form=form, school=school)


@bp.route("/<lang:lang>/schools/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new():
    return _save_school(None)


@bp.route("/<lang:lang>/schools/<int:school_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(school_id):
    return _save_school(school_or_404(school_id))


def school_or_404(school_id):
    """The school, or a 404 when it does not exist or lies outside the
    regions the user is limited to (as if it did not exist: a limited user
    learns nothing of other regions' schools)."""
    return load_or_404(School, school_id)


def _chosen_year(session):
    years = services.list_school_years(session)
    year_id = request.args.get("year", type=int)
    year = next((y for y in years if y.id == year_id), None)
    return year or services.current_school_year(session, today=services.local_today()), years


@bp.route("/<lang:lang>/schools/<int:school_id>/")
@login_required
def detail(school_id):
    session = get_session()
    school = school_or_404(school_id)
    year, years = _chosen_year(session)
    groups = services.list_class_groups(session, school=school, school_year=year) if year else []
    return render_template(
        "schools/detail.html",
        school=school,
        year=year,
        years=years,
        groups=groups,
        grade_labels=dict(GRADE_CHOICES),
    )


def _save_group(school, group, year):
    form = ClassGroupForm(obj=group)
    if form.validate_on_submit():
        try:
            services.save_class_group(
                get_session(),
                group=group,
                school=school,
                school_year=year,
                grade=form.grade.data,
                name=form.name.data,
                teacher_name=form.teacher_name.data or "",
                size=form.size.data,
            )
        except services.DuplicateName as error:
            form.name.errors.append(error_message(error))
        else:
            flash(_("Class group saved."), "success")
            return redirect(url_for("schools.detail", school_id=school.id, year=year.id))
    return render_template(
        "schools/group_form.html", form=form, school=school, group=group, year=year
    )


@bp.route("/<lang:lang>/schools/<int:school_id>/groups/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_group(school_id):
    school = school_or_404(school_id)
    year, _years = _chosen_year(get_session())
    if year is None:
        flash(_("Create a school year first."), "info")
        return redirect(url_for("schools.years"))
    return _save_group(school, None, year)


def _group_of(school_id, group_id):
    group = load_or_404(ClassGroup, group_id)
    if group.school_id != school_id:
        abort(404)
    return school_or_404(school_id), group


@bp.route(
    "/<lang:lang>/schools/<int:school_id>/groups/<int:group_id>/edit", methods=["GET", "POST"]
)
@role_required(*EDITORS)
def edit_group(school_id, group_id):
    school, group = _group_of(school_id, group_id)
    return _save_group(school, group, get_or_404(SchoolYear, group.school_year_id))


@bp.route(
    "/<lang:lang>/schools/<int:school_id>/groups/<int:group_id>/delete", methods=["GET", "POST"]
)
@role_required(*EDITORS)
def delete_group(school_id, group_id):
    school, group = _group_of(school_id, group_id)
    form = Form()
    if form.validate_on_submit():
        back = url_for("schools.detail", school_id=school.id, year=group.school_year_id)
        try:
            services.delete(get_session(), thing=group)
        except services.InUse:
            flash(_("This class group has sessions: cancel them instead of deleting it."), "error")
        else:
            flash(_("Class group %(name)s deleted.", name=group.name), "success")
        return redirect(back)
    return render_template(
        "schools/confirm_delete.html",
        form=form,
        title=_("Delete class group %(name)s?", name=group.name),
        message=_("The group is removed from %(school)s for this school year.", school=school.name),
        back=url_for("schools.detail", school_id=school.id, year=group.school_year_id),
    )

"""CSV imports of schools and class groups, with their templates."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.db import get_or_404, get_session
from app.i18n import current_language
from app.regions import data as regions_data
from app.regions.loading import current_regions
from app.schools import imports, services
from app.schools.forms import ClassGroupImportForm, CsvImportForm
from app.schools.models import SchoolYear
from app.schools.views import EDITORS, bp, school_or_404
from app.security import login_required, role_required

PROBLEM_MESSAGES = {
    "file_too_large": lambda v: _("The file is larger than %(max_mb)s MB.", **v),
    "bad_encoding": lambda v: _("The file is not text in UTF-8 or Windows-1252."),
    "empty_file": lambda v: _("The file is empty."),
    "no_rows": lambda v: _("The file has a header but no row."),
    "too_many_rows": lambda v: _("The file has more than %(max)s rows.", **v),
    "unknown_column": lambda v: _("unknown column “%(column)s”.", **v),
    "missing_column": lambda v: _("the column “%(column)s” is missing.", **v),
    "duplicate_column": lambda v: _("the column “%(column)s” appears twice.", **v),
    "extra_values": lambda v: _("%(found)s values where %(expected)s were expected.", **v),
    "required": lambda v: _("this value is required."),
    "too_long": lambda v: _("longer than %(max)s characters.", **v),
    "unknown_service_centre": lambda v: _("no school service centre named “%(name)s”.", **v),
    "unknown_region": lambda v: _(
        "“%(value)s” is not one of Quebec's 17 regions: write its name or code (Laval or 13).",
        **v,
    ),
    "bad_email": lambda v: _("“%(value)s” is not an e-mail address.", **v),
    "bad_time_range": lambda v: _(
        "“%(period)s” is not a period: write start-end times like 08:15-09:30, in order.", **v
    ),
    "bad_grade": lambda v: _("“%(value)s” is not a grade (expected: %(choices)s).", **v),
    "bad_number": lambda v: _("“%(value)s” is not a number from %(min)s to %(max)s.", **v),
    "duplicate": lambda v: _("“%(name)s” is already on line %(first_line)s.", **v),
    "already_exists": lambda v: _("“%(name)s” already exists.", **v),
}


def describe(problem):
    """'Line 4, column city: this value is required.' in the page's language."""
    text = PROBLEM_MESSAGES[problem.code](problem.values)
    if problem.line and problem.column:
        return _(
            "Line %(line)s, column %(column)s: %(problem)s",
            line=problem.line,
            column=problem.column,
            problem=text,
        )
    if problem.line:
        return _("Line %(line)s: %(problem)s", line=problem.line, problem=text)
    return text


def _outside_regions(schools):
    """What to say of the imported schools that would lie outside the user's
    regions ([] for a provincial user, or when every school is inside)."""
    regions = current_regions()
    lang = current_language()
    return [
        _(
            "“%(name)s” would be in %(region)s, a region you do not work in.",
            name=s.name,
            region=regions_data.label(s.region_code, lang),
        )
        for s in schools
        if regions is not None and s.region_code not in regions
    ]


def _csv_download(text, name):
    # With a BOM, so that Excel opens the accents right.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@bp.route("/<lang:lang>/schools/import", methods=["GET", "POST"])
@role_required(*EDITORS)
def import_schools():
    form = CsvImportForm()
    problems = []
    if form.validate_on_submit():
        session = get_session()
        result = imports.import_schools(session, data=form.file.data.read())
        problems = [describe(p) for p in result.problems] or _outside_regions(result.created)
        if problems:
            session.rollback()  # all or nothing: no school of the file is kept
        else:
            count = len(result.created)
            flash(_("%(count)s schools imported.", count=count), "success")
            return redirect(url_for("schools.index"))
    return render_template(
        "schools/import.html",
        form=form,
        problems=problems,
        title=_("Import schools"),
        template_url=url_for("schools.schools_template"),
        back=url_for("schools.index"),
    ), (422 if problems else 200)


@bp.route("/<lang:lang>/schools/import/template.csv")
@login_required
def schools_template():
    return _csv_download(imports.schools_template_csv(), "mobilis-schools.csv")


@bp.route("/<lang:lang>/schools/<int:school_id>/groups/import", methods=["GET", "POST"])
@role_required(*EDITORS)
def import_groups(school_id):
    session = get_session()
    school = school_or_404(school_id)
    years = services.list_school_years(session)
    form = ClassGroupImportForm()
    form.school_year_id.choices = [SelectChoice(y.id, y.label) for y in years]
    if request.method == "GET":
        current = services.current_school_year(session, today=services.local_today())
        form.school_year_id.data = current.id if current else None
    problems = []
    if form.validate_on_submit():
        year = get_or_404(SchoolYear, form.school_year_id.data)
        result = imports.import_class_groups(
            session, data=form.file.data.read(), school=school, school_year=year
        )
        if result.problems:
            problems = [describe(p) for p in result.problems]
        else:
            flash(_("%(count)s class groups imported.", count=len(result.created)), "success")
            return redirect(url_for("schools.detail", school_id=school.id, year=year.id))
    return render_template(
        "schools/import.html",
        form=form,
        problems=problems,
        title=_("Import class groups: %(school)s", school=school.name),
        template_url=url_for("schools.groups_template"),
        back=url_for("schools.detail", school_id=school.id),
    ), (422 if problems else 200)


@bp.route("/<lang:lang>/schools/groups-template.csv")
@login_required
def groups_template():
    return _csv_download(imports.class_groups_template_csv(), "mobilis-class-groups.csv")

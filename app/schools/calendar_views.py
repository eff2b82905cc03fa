"""School service centres, school years and the days without classes."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.db import get_or_404, get_session
from app.forms import Form
from app.i18n import current_language
from app.regions.loading import current_regions, load_or_404
from app.schools import calendar, services
from app.schools.forms import DAY_OFF_KIND_LABELS, DayOffForm, SchoolYearForm, ServiceCentreForm
from app.schools.models import DayOff, DayOffKind, School, SchoolYear, ServiceCentre
from app.schools.views import EDITORS, bp, error_message
from app.security import login_required, role_required


@bp.route("/<lang:lang>/schools/centres/")
@login_required
def centres():
    session, regions = get_session(), current_regions()
    return render_template(
        "schools/centres.html",
        centres=services.list_service_centres(session, regions),
        school_counts=services.school_counts(session, regions),
    )


def _save_centre(centre):
    regions = current_regions()
    form = ServiceCentreForm(obj=centre).set_regions(current_language(), regions)
    if form.validate_on_submit():
        try:
            services.save_service_centre(
                get_session(),
                centre=centre,
                name=form.name.data,
                region_code=form.region_code.data,
                regions=regions,
            )
        except services.DuplicateName as error:
            form.name.errors.append(error_message(error))
        else:
            flash(_("School service centre saved."), "success")
            return redirect(url_for("schools.centres"))
    return render_template("schools/centre_form.html", form=form, centre=centre)


@bp.route("/<lang:lang>/schools/centres/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_centre():
    return _save_centre(None)


@bp.route("/<lang:lang>/schools/centres/<int:centre_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit_centre(centre_id):
    return _save_centre(load_or_404(ServiceCentre, centre_id))


@bp.route("/<lang:lang>/schools/years/")
@login_required
def years():
    return render_template("schools/years.html", years=services.list_school_years(get_session()))


@bp.route("/<lang:lang>/schools/years/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_year():
    form = SchoolYearForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            year = services.create_school_year(
                session, starts_on=form.starts_on.data, ends_on=form.ends_on.data
            )
        except (services.BadDates, services.DuplicateName) as error:
            form.ends_on.errors.append(error_message(error))
        else:
            added = calendar.add_statutory_holidays(session, school_year=year)
            flash(
                _(
                    "School year %(label)s created with %(count)s statutory holidays.",
                    label=year.label,
                    count=added,
                ),
                "success",
            )
            return redirect(url_for("schools.year", year_id=year.id))
    return render_template("schools/year_form.html", form=form)


@bp.route("/<lang:lang>/schools/years/<int:year_id>/")
@login_required
def year(year_id):
    session = get_session()
    year = get_or_404(SchoolYear, year_id)
    regions = current_regions()
    days_off = services.list_days_off(session, school_year=year, regions=regions)
    return render_template(
        "schools/year.html",
        year=year,
        days_off=days_off,
        kind_labels=DAY_OFF_KIND_LABELS,
        holiday_labels=calendar_holiday_labels(),
        centres={c.id: c for c in services.list_service_centres(session, regions)},
        schools={s.id: s for s in services.list_all_schools(session, regions)},
        day_off_label=day_off_label,
        may_delete=lambda day: regions is None or day.school_id or day.service_centre_id,
    )


def day_off_label(day_off):
    """A statutory holiday's translated name, else the reason as entered."""
    if day_off.kind == DayOffKind.STATUTORY:
        return calendar_holiday_labels().get(day_off.reason, day_off.reason)
    return day_off.reason


def calendar_holiday_labels():
    return {
        "new_years_day": _("New Year's Day"),
        "good_friday": _("Good Friday"),
        "easter_monday": _("Easter Monday"),
        "patriots_day": _("National Patriots' Day"),
        "fete_nationale": _("Fête nationale du Québec"),
        "canada_day": _("Canada Day"),
        "labour_day": _("Labour Day"),
        "thanksgiving": _("Thanksgiving"),
        "christmas": _("Christmas Day"),
    }


@bp.route("/<lang:lang>/schools/years/<int:year_id>/days-off/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_day_off(year_id):
    session = get_session()
    year = get_or_404(SchoolYear, year_id)
    regions = current_regions()
    centres = services.list_service_centres(session, regions)
    schools = services.list_all_schools(session, regions)
    form = DayOffForm().set_scopes(centres, schools, every_school=regions is None)
    if form.validate_on_submit():
        scope, _sep, key = form.scope.data.partition("-")
        try:
            services.add_day_off(
                session,
                school_year=year,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data or form.starts_on.data,
                kind=form.kind.data,
                reason=form.reason.data,
                centre=load_or_404(ServiceCentre, int(key)) if scope == "centre" else None,
                school=load_or_404(School, int(key)) if scope == "school" else None,
            )
        except services.BadDates as error:
            form.starts_on.errors.append(error_message(error))
        else:
            flash(_("Days off saved."), "success")
            return redirect(url_for("schools.year", year_id=year.id))
    return render_template("schools/day_off_form.html", form=form, year=year)


@bp.route(
    "/<lang:lang>/schools/years/<int:year_id>/days-off/<int:day_off_id>/delete",
    methods=["GET", "POST"],
)
@role_required(*EDITORS)
def delete_day_off(year_id, day_off_id):
    # Not shared: a province-wide day off is every region's, changed only by
    # someone who sees them all.
    day_off = load_or_404(DayOff, day_off_id, shared=False)
    if day_off.school_year_id != year_id:
        abort(404)
    form = Form()
    back = url_for("schools.year", year_id=year_id)
    if form.validate_on_submit():
        services.delete(get_session(), thing=day_off)
        flash(_("Days off deleted."), "success")
        return redirect(back)
    return render_template(
        "schools/confirm_delete.html",
        form=form,
        title=_("Delete “%(reason)s”?", reason=day_off_label(day_off)),
        message=_("Classes will count as held on these days again."),
        back=back,
    )

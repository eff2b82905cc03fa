"""Distribution records: the list, the form, deleting one. Prevention workers,
youth workers and coordinators (and admins) record and read them; a record
is deleted by its author or a coordinator, and is not found by anyone else."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.campaigns import services
from app.campaigns.forms import DistributionForm
from app.campaigns.loader import get_campaigns
from app.campaigns.models import DistributionRecord
from app.db import get_session
from app.formats import date_text
from app.forms import Form
from app.i18n import current_language
from app.paging import Page
from app.regions.loading import current_regions, load_or_404
from app.schools import services as schools
from app.schools.models import School
from app.security import role_required

bp = Blueprint("distribution", __name__, template_folder="templates")

PER_PAGE = 20


def campaign_titles(catalogue, lang):
    return {c.slug: c.title(lang) for c in catalogue.campaigns}


@bp.route("/<lang:lang>/campaigns/records/")
@role_required(*services.RECORDERS)
def records():
    session = get_session()
    catalogue = get_campaigns()
    chosen = request.args.get("campaign") or None
    regions = current_regions()
    page = Page.requested(PER_PAGE)
    pages = page.count(services.count_records(session, campaign_slug=chosen, regions=regions))
    rows = services.list_records(session, campaign_slug=chosen, regions=regions, page=page)
    return render_template(
        "distribution/records.html",
        rows=rows,
        titles=campaign_titles(catalogue, current_language()),
        chosen=chosen,
        page=page.number,
        pages=pages,
        may_delete=lambda record: services.may_delete(current_user, record),
    )


def _form(session, catalogue, regions):
    form = DistributionForm(
        data={
            "campaign_slug": request.args.get("campaign") or "",
            "on_date": schools.local_today(),
        }
    )
    lang = current_language()
    form.campaign_slug.choices = [SelectChoice("", _("— Choose a campaign —"))] + [
        SelectChoice(c.slug, c.title(lang)) for c in catalogue.campaigns
    ]
    form.school_id.choices = [SelectChoice(0, _("— Choose a school —"))] + [
        SelectChoice(s.id, s.name) for s in schools.list_all_schools(session, regions)
    ]
    return form


@bp.route("/<lang:lang>/campaigns/records/new", methods=["GET", "POST"])
@role_required(*services.RECORDERS)
def new_record():
    session = get_session()
    catalogue = get_campaigns()
    regions = current_regions()
    form = _form(session, catalogue, regions)
    if form.is_submitted():
        today = schools.local_today()
        if form.validate():
            try:
                record = services.record_distribution(
                    session,
                    campaigns=catalogue,
                    values=form.values(),
                    by=current_user,
                    today=today,
                    regions=regions,
                )
            except services.DistributionError as error:
                form.add_problems(error.problems)
            else:
                flash(_("Recorded: it counts in the reach report."), "success")
                return redirect(url_for("distribution.records", campaign=record.campaign_slug))
        else:
            # A field in the wrong shape: say what else is wrong too, in one go.
            form.add_problems(
                services.check_record(
                    session,
                    campaigns=catalogue,
                    values=form.values(),
                    today=today,
                    regions=regions,
                )
            )
    return render_template(
        "distribution/form.html", form=form, has_campaigns=bool(catalogue.campaigns)
    )


@bp.route("/<lang:lang>/campaigns/records/<int:record_id>/delete", methods=["GET", "POST"])
@role_required(*services.RECORDERS)
def delete_record(record_id):
    session = get_session()
    record = load_or_404(DistributionRecord, record_id)
    if not services.may_delete(current_user, record):
        abort(404)
    form = Form()
    back = url_for("distribution.records", campaign=record.campaign_slug)
    if form.validate_on_submit():
        services.delete_record(session, record=record)
        flash(_("Record deleted: it no longer counts in the reach report."), "success")
        return redirect(back)
    campaign = get_campaigns().get(record.campaign_slug)
    school = session.get(School, record.school_id)
    return render_template(
        "schools/confirm_delete.html",
        form=form,
        title=_("Delete this distribution record?"),
        message=_(
            "%(campaign)s, %(school)s, %(date)s: it will no longer count in the reach report.",
            campaign=campaign.title(current_language()) if campaign else record.campaign_slug,
            school=school.name,
            date=date_text(record.on_date),
        ),
        back=back,
    )

"""Awareness campaigns: the list, each campaign's page, and its materials.

The materials are posters (PDF), social media cards (PNG) and a slide (PDF);
the files are drawn by `pdfs.py`, built ahead (`published.py`) and served
from disk like the modules' PDFs (app/pdfserve.py: ETag, 304, max-age).
"""

import datetime

from flask import Blueprint, abort, render_template, url_for
from flask_babel import lazy_gettext as _l

from app.campaigns import pdfs, published, school_calendars
from app.campaigns.loader import get_campaigns
from app.core.helplines import last_reviewed, load_helplines
from app.curriculum.render import scrollable_tables
from app.db import get_session
from app.formats import date_text
from app.i18n import current_language
from app.pagecache import public_page
from app.pdfserve import send_built
from app.schools.calendar_views import day_off_label
from app.schools.services import local_today
from app.security import public

bp = Blueprint("campaigns", __name__, template_folder="templates")

AUDIENCE_LABELS = {
    "students": _l("Students"),
    "staff": _l("School staff"),
    "parents": _l("Parents"),
    "community": _l("Community"),
}


def day_and_month(month_day):
    """ "1er mars" / "March 1": a yearly day, in the page's language."""
    return date_text(datetime.date(2001, *month_day), "day")


def _campaign_or_404(slug):
    campaign = get_campaigns().get(slug)
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/<lang:lang>/campaigns/")
@public
@public_page
def index():
    # No year on this page, so that it can be shared by the public page cache.
    return render_template(
        "campaigns/index.html",
        campaigns=get_campaigns().campaigns,
        audience_labels=AUDIENCE_LABELS,
        day_and_month=day_and_month,
    )


# Not a @public_page: it shows this year's dates, which the public page cache,
# keyed by the curriculum's version only, would keep serving past New Year.
@bp.route("/<lang:lang>/campaigns/<slug>/")
@public
def detail(slug):
    campaign = _campaign_or_404(slug)
    lang = current_language()
    today = local_today()
    first, last = campaign.next_period(today)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        lang=lang,
        body=scrollable_tables(campaign.body_html(lang)),
        first=first,
        last=last,
        under_way=first <= today,
        days_off=school_calendars.days_off_during(get_session(), first=first, last=last),
        day_off_label=day_off_label,
        audience_labels=AUDIENCE_LABELS,
        day_and_month=day_and_month,
        helplines=load_helplines(lang),
        helplines_reviewed=last_reviewed(),
        card_alt=pdfs.card_alt(campaign, lang),
    )


def _send_material(slug, *, kind, variant, mimetype, name):
    campaign = _campaign_or_404(slug)
    lang = current_language()
    extension = "png" if mimetype == "image/png" else "pdf"
    return send_built(
        published.material_target(campaign, kind, variant, lang),
        mimetype=mimetype,
        # A card opens in the browser, to look at before saving it; PDFs download.
        as_attachment=mimetype != "image/png",
        download_name=f"mobilis-{campaign.slug}-{name}-{lang}-v{campaign.version}.{extension}",
        back_url=url_for("campaigns.detail", lang=lang, slug=campaign.slug),
    )


@bp.route("/<lang:lang>/campaigns/<slug>/poster-<size>.pdf")
@public
@public_page
def poster(slug, size):
    if size not in pdfs.POSTER_SIZES:
        abort(404)
    return _send_material(
        slug, kind="poster", variant=size, mimetype="application/pdf", name=f"poster-{size}"
    )


@bp.route("/<lang:lang>/campaigns/<slug>/card-<shape>.png")
@public
@public_page
def card(slug, shape):
    if shape not in pdfs.CARD_SHAPES:
        abort(404)
    return _send_material(
        slug, kind="card", variant=shape, mimetype="image/png", name=f"card-{shape}"
    )


@bp.route("/<lang:lang>/campaigns/<slug>/slide.pdf")
@public
@public_page
def slide(slug):
    return _send_material(
        slug, kind="slide", variant="16x9", mimetype="application/pdf", name="slide"
    )

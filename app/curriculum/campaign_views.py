"""Awareness campaigns: the list and each campaign's page.

The campaigns' materials (posters, cards, slide) are served by
`campaign_materials.py`, on this same blueprint.
"""

import datetime

from babel.dates import format_skeleton
from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.core.helplines import last_reviewed, load_helplines
from app.curriculum.campaign_pdfs import card_alt
from app.curriculum.campaigns import get_campaigns
from app.i18n import current_language
from app.pagecache import public_page
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
    """ "1 mars" / "March 1": a yearly day, in the page's language."""
    return format_skeleton("MMMMd", datetime.date(2001, *month_day), locale=get_locale())


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
        body=campaign.body_html(lang),
        first=first,
        last=last,
        under_way=first <= today,
        audience_labels=AUDIENCE_LABELS,
        day_and_month=day_and_month,
        helplines=load_helplines(lang),
        helplines_reviewed=last_reviewed(),
        card_alt=card_alt(campaign, lang),
    )

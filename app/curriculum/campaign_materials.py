"""A campaign's materials: posters (PDF), social media cards (PNG) and a slide (PDF).

Routes on the campaigns blueprint; the files are generated and cached by
`campaign_pdfs.py` and served like the modules' PDFs (ETag, 304, max-age).
"""

from flask import abort, current_app, send_file

from app.curriculum import campaign_pdfs
from app.curriculum.campaign_views import bp
from app.curriculum.campaigns import get_campaigns
from app.i18n import current_language
from app.pagecache import public_page
from app.security import public
from app.templating import help_url


def _send_material(slug, *, kind, variant, mimetype, name):
    campaign = get_campaigns().get(slug)
    if campaign is None:
        abort(404)
    lang = current_language()
    key, path = campaign_pdfs.cached_material(
        kind=kind,
        variant=variant,
        lang=lang,
        campaign=campaign,
        help_url=help_url(lang, external=True),
    )
    extension = "png" if mimetype == "image/png" else "pdf"
    return send_file(
        path,
        mimetype=mimetype,
        # A card opens in the browser, to look at before saving it; PDFs download.
        as_attachment=mimetype != "image/png",
        download_name=f"mobilis-{campaign.slug}-{name}-{lang}-v{campaign.version}.{extension}",
        etag=key,
        conditional=True,
        max_age=current_app.config["PDF_MAX_AGE"],
    )


@bp.route("/<lang:lang>/campaigns/<slug>/poster-<size>.pdf")
@public
@public_page
def poster(slug, size):
    if size not in campaign_pdfs.POSTER_SIZES:
        abort(404)
    return _send_material(
        slug, kind="poster", variant=size, mimetype="application/pdf", name=f"poster-{size}"
    )


@bp.route("/<lang:lang>/campaigns/<slug>/card-<shape>.png")
@public
@public_page
def card(slug, shape):
    if shape not in campaign_pdfs.CARD_SHAPES:
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

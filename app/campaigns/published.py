"""The campaigns' public files, built ahead (app/pdfbuild.py): in each
language, every campaign's posters (Letter, 11x17), social media cards
(square, story; PNG) and classroom slide, each with its Target.

A file's inputs are its `pdfs.material_key` (material, size, language, the
campaign's content, help numbers, address, templates and styles).
"""

from flask import current_app, url_for

from app.campaigns import pdfs
from app.campaigns.loader import get_campaigns
from app.pdfbuild import Target
from app.templating import help_url


def _path(kind, variant, lang, slug):
    if kind == "poster":
        return url_for("campaigns.poster", lang=lang, slug=slug, size=variant)
    if kind == "card":
        return url_for("campaigns.card", lang=lang, slug=slug, shape=variant)
    return url_for("campaigns.slide", lang=lang, slug=slug)


def material_target(campaign, kind, variant, lang):
    """A poster (variant: its size), card (its shape) or the slide ("16x9")."""
    source = {
        "kind": kind,
        "variant": variant,
        "lang": lang,
        "campaign": campaign,
        "help_url": help_url(lang, external=True),
    }
    return Target(
        path=_path(kind, variant, lang, campaign.slug),
        inputs=pdfs.material_key(**source),
        suffix=".png" if kind == "card" else ".pdf",
        render=lambda: pdfs.build_material(**source),
    )


def materials():
    """(kind, variant) of every material a campaign has."""
    return [
        *(("poster", size) for size in pdfs.POSTER_SIZES),
        *(("card", shape) for shape in pdfs.CARD_SHAPES),
        ("slide", "16x9"),
    ]


def targets():
    """Every public file of the campaigns, in both languages."""
    return [
        material_target(campaign, kind, variant, lang)
        for lang in current_app.config["LANGUAGES"]
        for campaign in get_campaigns().campaigns
        for kind, variant in materials()
    ]

"""The modules' public files, built ahead (app/pdfbuild.py): which there are,
and for each its Target, the one the build draws and the view serves.

In each language: every module's handout and teacher guide, its slide deck
when it has one, and the pack of every module. A file's inputs are its
`pdfs.pdf_key` (kind, language, the modules' content, help numbers, address,
templates and styles).
"""

from flask import current_app, url_for
from flask_babel import gettext as _

from app.curriculum import get_catalogue, pdfs
from app.pdfbuild import Target
from app.templating import help_url

ENDPOINTS = {
    "lesson": "curriculum.lesson_pdf",
    "guide": "curriculum.guide_pdf",
    "deck": "curriculum.deck_pdf",
}


def pack_title():
    return _("Teacher pack: every module of the program")


def _target(*, kind, lang, modules, path, title):
    """`title()` is called when the file is drawn, in the file's language."""
    address = help_url(lang, external=True)
    return Target(
        path=path,
        inputs=pdfs.pdf_key(kind=kind, lang=lang, modules=modules, help_url=address),
        suffix=".pdf",
        render=lambda: pdfs.build_pdf(
            kind=kind, lang=lang, modules=modules, help_url=address, title=title()
        ),
    )


def module_target(module, kind, lang):
    """A module's handout ("lesson"), teacher guide ("guide") or slide deck ("deck")."""
    return _target(
        kind=kind,
        lang=lang,
        modules=[module],
        path=url_for(ENDPOINTS[kind], lang=lang, slug=module.slug),
        title=lambda: module.document(kind, lang).meta["title"],
    )


def pack_target(modules, lang):
    """Every module's handout and guide in one PDF."""
    return _target(
        kind="pack",
        lang=lang,
        modules=modules,
        path=url_for("curriculum.pack_pdf", lang=lang),
        title=pack_title,
    )


def targets():
    """Every public file of the modules, in both languages."""
    modules = get_catalogue().modules
    found = []
    for lang in current_app.config["LANGUAGES"]:
        for module in modules:
            kinds = ("lesson", "guide", "deck") if module.has_deck else ("lesson", "guide")
            found += [module_target(module, kind, lang) for kind in kinds]
        if modules:
            found.append(pack_target(modules, lang))
    return found

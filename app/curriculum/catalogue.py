"""Finding modules: labels, filters and search for the catalogue page."""

import unicodedata

from flask_babel import lazy_gettext as _l

from app.curriculum.render import plain_text

GRADE_LABELS = {
    "sec1": _l("Secondary 1"),
    "sec2": _l("Secondary 2"),
    "sec3": _l("Secondary 3"),
    "sec4": _l("Secondary 4"),
    "sec5": _l("Secondary 5"),
}
TOPIC_LABELS = {
    "recruitment": _l("Recruitment"),
    "exploitation": _l("Sexual exploitation"),
    "online": _l("Online life"),
    "relationships": _l("Relationships"),
    "consent": _l("Consent"),
    "gangs": _l("Street gangs"),
    "help": _l("Getting help"),
    "rights": _l("Rights and the law"),
}


def fold(text):
    """Lower case without accents: «Éducation» and "education" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _searchable(module, lang):
    lesson = module.lesson(lang)
    meta = lesson.meta
    return fold(
        " ".join([meta["title"], meta["summary"], *meta["objectives"], plain_text(lesson, lang)])
    )


def filter_modules(modules, *, lang, grade=None, topic=None, query=None):
    """The modules matching every filter given; words of `query` must all appear."""
    words = fold(query or "").split()
    found = []
    for module in modules:
        meta = module.meta(lang)
        if grade and grade not in meta["grades"]:
            continue
        if topic and topic not in meta["topics"]:
            continue
        if words:
            text = _searchable(module, lang)
            if not all(word in text for word in words):
                continue
        found.append(module)
    return found

"""Folding text the way students type it: no case, no accents."""

import unicodedata


def fold(text):
    """Lower case, accents removed ("Élève" -> "eleve")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()

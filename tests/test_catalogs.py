"""The catalogs are complete and current, and the check catches what it must."""

from babel.messages.catalog import Catalog

from app import catalogs


def test_catalogs_are_complete_and_current():
    assert catalogs.check() == 0


def test_check_finds_untranslated_fuzzy_missing_and_stale():
    template = Catalog()
    for msgid in ("Sign in", "Sign out", "Users"):
        template.add(msgid)
    catalog = Catalog(locale="fr")
    catalog.add("Sign in", "Se connecter")
    catalog.add("Sign out", "")
    catalog.add("Users", "Utilisateurs", flags=["fuzzy"])
    catalog.add("Old string", "Vieille chaîne")
    problems = catalogs.catalog_problems(template, catalog, "fr.po")
    assert problems == [
        "fr.po: stale 'Old string' is no longer in the code",
        "fr.po: untranslated 'Sign out'",
        "fr.po: fuzzy 'Users'",
    ]
    template.add("New string")
    assert "fr.po: missing 'New string' (run `make translations`)" in catalogs.catalog_problems(
        template, catalog, "fr.po"
    )

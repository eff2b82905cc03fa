"""Writing small, valid campaigns into a curriculum folder, for tests that need control."""

from pathlib import Path

CAMPAIGN = """---
title: "{title}"
key_message: "{key_message}"
period: {{start: "{start}", end: "{end}"}}
audience: [{audience}]
version: "{version}"
updated: 2026-11-01
materials:
  poster:
    headline: "{poster_headline}"
    text: "{poster_text}"
  card:
    text: "{card_text}"
    alt: "{card_alt}"
  slide:
    headline: "{slide_headline}"
    text: "{slide_text}"
posts:
{posts}
---

## {why}

{body}{link}

## Sources

- {source}
"""

TEXT = {
    "fr": {
        "title": "Campagne d’essai {n}",
        "key_message": "Le message clé {n}.",
        "poster_headline": "Le titre de l’affiche {n}",
        "poster_text": "Le texte de l’affiche {n}.",
        "card_text": "Le texte de la carte {n}.",
        "card_alt": "Carte {n}. En grandes lettres : « Le texte de la carte {n}. »",
        "slide_headline": "Le titre de la diapositive {n}",
        "slide_text": "Le texte de la diapositive {n}.",
        "when": "Le jour {i} de la campagne {n}",
        "post": "La publication {i} de la campagne {n}.",
        "why": "Pourquoi",
        "body": "Le texte de la campagne {n}.",
        "link": " Voir [l’atelier](module:{module}).",
        "source": "Code criminel du Canada, art. 286.1.",
    },
    "en": {
        "title": "Test campaign {n}",
        "key_message": "Key message {n}.",
        "poster_headline": "Poster headline {n}",
        "poster_text": "Poster text {n}.",
        "card_text": "Card text {n}.",
        "card_alt": "Card {n}. In large letters: “Card text {n}.”",
        "slide_headline": "Slide headline {n}",
        "slide_text": "Slide text {n}.",
        "when": "Day {i} of campaign {n}",
        "post": "Post {i} of campaign {n}.",
        "why": "Why",
        "body": "The text of campaign {n}.",
        "link": " See [the lesson](module:{module}).",
        "source": "Criminal Code of Canada, s. 286.1.",
    },
}


def write_campaign(
    root,
    slug,
    *,
    n=1,
    start="03-01",
    end="03-07",
    audience="students, staff",
    version="1.0",
    posts=3,
    module=None,
):
    """Write `fr.md` and `en.md` of a valid campaign under `<root>/campaigns/<slug>/`.

    `module`: the slug of a module the body links to (none by default).
    """
    folder = Path(root) / "campaigns" / slug
    folder.mkdir(parents=True, exist_ok=True)
    for lang, text in TEXT.items():
        values = {key: value.format(n=n, i="{i}", module=module) for key, value in text.items()}
        lines = [
            f'  - when: "{values["when"].format(i=i)}"\n    text: "{values["post"].format(i=i)}"'
            for i in range(1, posts + 1)
        ]
        values["posts"] = "\n".join(lines)
        if module is None:
            values["link"] = ""
        (folder / f"{lang}.md").write_text(
            CAMPAIGN.format(**values, start=start, end=end, audience=audience, version=version),
            encoding="utf-8",
        )
    return folder

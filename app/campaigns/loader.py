"""Awareness campaigns, read from `curriculum/campaigns/<slug>/` (Markdown + YAML).

A campaign folder holds `fr.md` and `en.md`. Their front matter says what the
campaign is (title, key message, a yearly period, audience, version, updated)
and describes its materials — the poster, the social media card, the slide —
and the posts schools may publish, with when to publish them. The body gives
the why, the facts with their sources and what schools can do.

`load_campaigns` reads them all and reports every problem with its file and
line (the rules are in `check.py`), like the modules' loader; the
site serves only the campaigns without problems, and `flask curriculum check`
fails on any.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.campaigns.check import check_campaign, month_day
from app.curriculum.loader import (
    CAMPAIGNS_FOLDER,
    LANGUAGES,
    SLUG_RE,
    Problem,
    module_folders,
    parse_document,
)
from app.curriculum.render import render_fragment


@dataclass
class Campaign:
    slug: str
    folder: Path
    documents: dict = field(default_factory=dict)  # lang -> Document
    content_hash: str = ""  # of both files: the materials' cache key

    def _meta(self, lang="fr"):
        return self.documents[lang].meta

    @property
    def version(self):
        return self._meta()["version"]

    @property
    def updated(self):
        return self._meta()["updated"]

    @property
    def audience(self):
        return tuple(self._meta()["audience"])

    @property
    def starts(self):
        """(month, day) the campaign starts, every year."""
        return month_day(self._meta()["period"]["start"])

    @property
    def ends(self):
        """(month, day) it ends; before `starts` when it runs into the next year."""
        return month_day(self._meta()["period"]["end"])

    def period_in(self, year):
        """(first day, last day) of the run that starts in `year`.

        A period whose end comes before its start in the calendar (a school
        year, 09-01 to 06-20) ends the next year.
        """
        first = datetime.date(year, *self.starts)
        last = datetime.date(year, *self.ends)
        if last < first:
            last = last.replace(year=year + 1)
        return first, last

    def next_period(self, today):
        """(first day, last day) of the run going on `today`, or else of the next one."""
        for year in (today.year - 1, today.year):
            first, last = self.period_in(year)
            if today <= last:
                return first, last
        return self.period_in(today.year + 1)

    def title(self, lang):
        return self._meta(lang)["title"].strip()

    def key_message(self, lang):
        return self._meta(lang)["key_message"].strip()

    def body_html(self, lang):
        """The body as sanitised HTML (in a request: `module:` links become URLs)."""
        return render_fragment(self.documents[lang].body, lang=lang, slug=self.slug)

    def _material(self, lang, name):
        return {key: value.strip() for key, value in self._meta(lang)["materials"][name].items()}

    def poster(self, lang):
        """{"headline", "text"}: at most 12 and 40 words."""
        return self._material(lang, "poster")

    def card(self, lang):
        """{"text", "alt"}: at most 20 words, and the image's description for posting."""
        return self._material(lang, "card")

    def slide(self, lang):
        """{"headline", "text"}: at most 12 and 60 words."""
        return self._material(lang, "slide")

    def posts(self, lang):
        """[{"when", "text"}]: the suggested posts, in order."""
        return [
            {"when": post["when"].strip(), "text": post["text"].strip()}
            for post in self._meta(lang)["posts"]
        ]


@dataclass
class CampaignCatalogue:
    campaigns: list  # valid campaigns, by the day they start in the year
    problems: list  # every problem found, valid campaigns or not
    by_slug: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_slug = {c.slug: c for c in self.campaigns}

    def get(self, slug):
        return self.by_slug.get(slug)


class _Problems(list):
    def add(self, path, line, message):
        self.append(Problem(Path(path), line, message))


def _content_hash(campaign):
    digest = hashlib.sha256()
    for lang in LANGUAGES:
        digest.update(f"{lang}.md".encode())
        digest.update(campaign.documents[lang].raw)
    return digest.hexdigest()


# Names of the site's own pages under /<lang>/campaigns/ (distribution records).
RESERVED_CAMPAIGN_SLUGS = frozenset({"records"})


def load_campaigns(root):
    """Read every campaign under `<root>/campaigns/`; return the CampaignCatalogue.

    `root` is the curriculum folder: a campaign may link to its modules.
    """
    root = Path(root)
    folder = root / CAMPAIGNS_FOLDER
    problems = _Problems()
    if not folder.is_dir():
        return CampaignCatalogue([], [])
    modules = {p.name for p in module_folders(root)}
    campaigns = []
    for path in sorted(folder.iterdir()):
        if not path.is_dir() or path.name.startswith((".", "_")):
            continue
        before = len(problems)
        if not SLUG_RE.match(path.name):
            problems.add(path, 1, "folder name must be a slug (a-z, 0-9, hyphens)")
        elif path.name in RESERVED_CAMPAIGN_SLUGS:
            problems.add(path, 1, f"'{path.name}' is the name of a page under /campaigns/")
        campaign = Campaign(slug=path.name, folder=path)
        for lang in LANGUAGES:
            file = path / f"{lang}.md"
            if not file.is_file():
                problems.add(file, 1, f"missing file: every campaign needs {file.name}")
                continue
            doc = parse_document(file, problems)
            if doc is not None:
                campaign.documents[lang] = doc
        check_campaign(campaign, modules, problems)
        if len(problems) == before:
            campaign.content_hash = _content_hash(campaign)
            campaigns.append(campaign)
    campaigns.sort(key=lambda c: (c.starts, c.slug))
    return CampaignCatalogue(campaigns, list(problems))


def get_campaigns():
    """The app's campaigns, read again when a file under the curriculum folder changes."""
    return current_app.extensions["campaigns"].get()

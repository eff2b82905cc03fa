"""The identity and the home page, from the visitor's side: the name mark in
every page's header, and a home page that speaks to teens first (the question
box, then the help numbers, « tu », short sentences) with the school staff's
way in set apart after them. Both languages."""

import re
from html.parser import HTMLParser

import pytest

from app.core.helplines import load_helplines

LANGS = ["fr", "en"]
MARK = "/static/img/mark.svg"
NAME = "MOBILIS Prévention"
VOUS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)
# A sentence a 14-year-old reads at a glance on a phone.
SHORT = 12


class Sections(HTMLParser):
    """The text and the links of each element with an id or a class we ask
    for, nested elements included."""

    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.open = []  # [(tag, name or None)]
        self.text = {name: [] for name in wanted}
        self.links = {name: [] for name in wanted}
        self.order = []

    def _inside(self):
        return [name for _tag, name in self.open if name]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        name = next((c for c in classes if c in self.wanted), None)
        if name:
            self.order.append(name)
        if tag not in ("img", "br", "input", "meta", "link"):
            self.open.append((tag, name))
        if tag == "a":
            for inside in self._inside():
                self.links[inside].append(attrs.get("href"))
        if tag in ("p", "li", "h1", "h2", "h3"):
            for inside in self._inside():
                self.text[inside].append("\n")

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for inside in self._inside():
            self.text[inside].append(data)

    def words(self, name):
        return "".join(self.text[name])


def _home(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    page = Sections({"site-header", "home-students", "home-help", "home-staff"})
    page.feed(response.get_data(as_text=True))
    return page, response.get_data(as_text=True)


def _sentences(text):
    return [s for s in re.split(r"(?<=[.?!])\s+|\n+", text) if s.strip()]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/", "/modules/", "/help/", "/login"])
def test_the_mark_is_in_every_header_and_names_the_site(client, lang, path):
    html = client.get(f"/{lang}{path}").get_data(as_text=True)
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    brand = re.search(r'<a class="brand" href="([^"]+)">\s*(<img [^>]+>)\s*</a>', header)
    assert brand, "the brand link holds the mark and nothing else"
    assert brand.group(1) == f"/{lang}/"
    image = brand.group(2)
    # The image is the link's whole accessible name, the same in both languages.
    assert f'src="{MARK}' in image and f'alt="{NAME}"' in image
    assert 'width="' in image and 'height="' in image, "no layout shift while it loads"
    assert 'href="/static/img/favicon.svg' in html


def test_the_mark_is_an_svg_of_our_own(client):
    response = client.get(MARK)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    response.close()
    assert f'<title id="mark-title">{NAME}</title>' in svg
    # Nothing it would fetch: no image, no link, no font, no style sheet.
    assert not re.search(r"<image|href=|@import|url\(|@font-face", svg)


@pytest.mark.parametrize(("lang", "ask"), [("fr", "Pose ta question"), ("en", "Ask a question")])
def test_the_students_come_first_then_the_numbers_then_the_staff(client, lang, ask):
    page, html = _home(client, lang)
    assert page.order.index("home-students") < page.order.index("home-help")
    assert page.order.index("home-help") < page.order.index("home-staff")
    assert f'<a class="button button-ask" href="/{lang}/help/">{ask}</a>' in html
    assert f"/{lang}/help/" in page.links["home-students"]
    assert f"/{lang}/modules/" not in page.links["home-students"]
    # Every number meant for the home page, from app/data/helplines.yaml.
    lines = load_helplines(lang, tag="home")
    assert len(lines) >= 4
    for line in lines:
        assert line["name"] in page.words("home-help")
        for contact in line["contacts"]:
            assert contact["href"] in page.links["home-help"]
    # The staff's way in: the modules, a presentation, the campaigns; none of
    # them in the students' part.
    for path in ("/modules/", "/request/", "/campaigns/"):
        assert f"/{lang}{path}" in page.links["home-staff"], path


@pytest.mark.parametrize("lang", LANGS)
def test_the_students_part_is_short_sentences(client, lang):
    page, _html = _home(client, lang)
    for section in ("home-students",):
        for sentence in _sentences(page.words(section)):
            assert len(sentence.split()) <= SHORT, sentence
    intro = _sentences(page.words("home-help"))[1:3]  # after the heading
    assert all(len(s.split()) <= SHORT for s in intro), intro


def test_the_students_part_says_tu_and_the_staff_part_vous(client):
    page, _html = _home(client, "fr")
    students = page.words("home-students") + page.words("home-help")
    assert not VOUS.search(students), VOUS.search(students)
    assert re.search(r"\b(tu|te|ta|ton|tes)\b", page.words("home-students"))
    assert "Pour les jeunes" in page.words("home-students")
    staff = page.words("home-staff")
    assert "Pour le personnel scolaire" in staff and "votre école" in staff


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_loads_nothing_from_elsewhere(client, lang):
    _page, html = _home(client, lang)
    for attribute in re.findall(r'\b(?:src|href)="([^"]*)"', html):
        outside = attribute.startswith(("http:", "https:", "//"))
        # Links out are the quick exit's neutral site; nothing is loaded from one.
        assert not outside or attribute in (
            "https://www.meteomedia.com/",
            "https://www.theweathernetwork.com/",
        ), attribute
    assert "<iframe" not in html and "@font-face" not in html

"""What tests/test_typography.py looks for in a page's or a PDF's words.

French as Quebec writes it (app/formats.py): « 1er mars », « 9 h », « 10 h 30 »,
a non-breaking space before : ; ! ? and inside « », « de l’École » (never
« de École »), « page 2 sur 6 ». English in one style: "March 1, 2026",
"9 a.m.", "10:30 a.m.", Canadian spelling (recognize, organize, centre, colour, program).

`visible_text(html)` is what a reader sees and hears: text and the names
given in attributes, without scripts, styles, form values, code and what
people wrote themselves (a student's question, a worker's reply).
"""

import re
from html.parser import HTMLParser

SPACE = r"[ \u00a0\u202f]"
NBSPS = "\u00a0\u202f"
FRENCH_MONTHS = (
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\."
)
ENGLISH_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# A bell schedule as people type it in the school form ("08:15-09:30"): input, not prose.
TYPED_PERIODS = re.compile(r"\d\d:\d\d-\d\d:\d\d")

FRENCH = {
    "« 1 mars » (the first is « 1er »)": re.compile(rf"(?<![\d,])1{SPACE}(?:{FRENCH_MONTHS})"),
    "« 09 h » (no leading zero)": re.compile(rf"(?<![\d])0\d{SPACE}?h\b"),
    "« h 00 » (« 9 h »)": re.compile(rf"\bh{SPACE}?00\b"),
    "« 9:30 » (« 9 h 30 »)": re.compile(r"(?<![\d:])\d{1,2}:\d\d(?![\d:])"),
    "a plain space before : ; ! ?": re.compile(r" [:;!?]"),
    "no space before : ; ! ?": re.compile(r"(?<=[\w»)\]’%])[:;!?](?=[\s»)]|$)"),
    "a line that starts with : ; ! ? or »": re.compile(r"(?:^|\n)[:;!?»]"),
    "« without a non-breaking space": re.compile(rf"«(?![{NBSPS}])"),
    "» without a non-breaking space": re.compile(rf"(?<![{NBSPS}\n])»"),
    "« de » before a vowel (« de l’École », « d’Alexandra »)": re.compile(
        r"\b[Dd]e (?=[AEIOUYÉÈÊÀÂÎÔ])"
    ),
    "« page 2 de 6 » (« page 2 sur 6 »)": re.compile(r"\b[Pp]age \d+ de \d+"),
}
ENGLISH = {
    "a British spelling (Canadian: recognize, organize, program)": re.compile(
        r"\b(?:recognis|organis|realis|apologis|prioritis|summaris|authoris|categoris"
        r"|customis|finalis|utilis|minimis|maximis|normalis|memoris|specialis|emphasis"
        r"|criticis|analys)(?:e|es|ed|ing|ation|ations|er|ers)\b|\bprogrammes?\b",
        re.IGNORECASE,
    ),
    "an American spelling (Canadian: centre, colour, behaviour)": re.compile(
        r"\b(?:color(?:s|ed|ing)?|center(?:s|ed)?|behavior(?:s|al)?|favorite|honor"
        r"|labor|neighbor(?:s|hood)?|catalog)\b",
        re.IGNORECASE,
    ),
    "an abbreviated month (one style: March 1, 2026)": re.compile(
        r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d"
    ),
    "the day before the month (one style: March 1)": re.compile(
        rf"\b\d{{1,2}} (?:{ENGLISH_MONTHS})\b"
    ),
    "a 24-hour time (9:00 a.m., 5:00 p.m.)": re.compile(
        rf"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])(?!{SPACE}?[ap]\.m\.)"
    ),
    "« :00 » on the hour (9 a.m., 10:30 a.m.)": re.compile(rf":00{SPACE}?[ap]\.m\."),
}
BOTH = {
    "an ISO date in the text (one style per language)": re.compile(r"\b\d{4}-\d\d-\d\d\b"),
    "a semicolon without its space (« Filtres;Aucune »)": re.compile(r"\w;\w"),
}

SKIPPED_TAGS = {"script", "style", "textarea", "code", "pre", "select"}
# What people wrote themselves, shown as they wrote it.
SKIPPED_CLASSES = {"message-body", "inbox-preview"}
BLOCKS = {
    "address", "article", "blockquote", "br", "button", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "label", "legend", "li", "main", "nav", "ol", "option", "p", "section",
    "summary", "table", "td", "th", "title", "tr", "ul",
}  # fmt: skip
NAMED_BY = ("alt", "aria-label", "title", "placeholder")
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.stack = []  # (tag, skipped)

    def _skipping(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        if not self._skipping() and not skipped:
            self.parts += ["\n" + attrs[name] + "\n" for name in NAMED_BY if attrs.get(name)]
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html):
    parser = _Visible()
    parser.feed(html)
    text = re.sub(r"[ \t\r]*\n[ \t\r\n]*", "\n", "".join(parser.parts))
    return re.sub(r"[ \t\r]+", " ", text)


def problems(text, lang):
    """[(rule, the line it is in)] for every slip in `text`, written in `lang`."""
    rules = {**(FRENCH if lang == "fr" else ENGLISH), **BOTH}
    found = []
    for line in text.split("\n"):
        prose = TYPED_PERIODS.sub("", line)
        for name, pattern in rules.items():
            if pattern.search(prose):
                found.append((name, line.strip()))
    return found

"""Bar charts drawn on the server as SVG: readable without JavaScript, in the
page and in the PDFs alike. Each chart names itself (role="img", a title and
a description) and is always shown beside its table, which is what screen
readers read.

Values may be numbers or, in what leaves the partnership, the suppressed
marks ("<5", "x"): those get no bar, only their mark.
"""

from markupsafe import Markup, escape

WIDTH = 640
BAR = 22
GAP = 10
# Bars closer together, for a page that holds a table and charts (the
# outcome report's PDF): the labels keep their size.
COMPACT_BAR = 16
COMPACT_GAP = 6
LABEL_WIDTH = 230
VALUE_WIDTH = 60
# WeasyPrint does not apply the document's stylesheets inside an SVG, and a
# page cannot embed a style (its CSP): charts in PDFs carry their own.
PDF_STYLE = (
    ".chart-bar{fill:#5b2a86}"
    ".chart-label,.chart-value{font-family:'MOBILIS Sans';font-size:11px;fill:#1d1b22}"
)


def bar_chart(
    chart_id, title, items, description="", *, pdf=False, number_format=None, compact=False
):
    """An SVG of horizontal bars, one per (label, value) of `items`; `pdf`:
    with its style embedded, for WeasyPrint; `number_format(value)`: the text
    beside a bar (the unit, the page's decimal mark), by default the number;
    `compact`: bars closer together."""
    bar, gap = (COMPACT_BAR, COMPACT_GAP) if compact else (BAR, GAP)
    numbers = [v for _label, v in items if isinstance(v, int | float)]
    top = max(numbers, default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(items) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    if pdf:
        parts.append(f"<style>{PDF_STYLE}</style>")
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar + gap)
        middle = y + bar / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'class="chart-label">{escape(_shorten(str(label)))}</text>'
        )
        if isinstance(value, int | float) and value > 0:
            length = max(room * value / top, 2)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{bar}" '
                'class="chart-bar"/>'
            )
        else:
            length = 0
        numeric = isinstance(value, int | float)
        shown = number_format(value) if number_format and numeric else _number(value)
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle}" class="chart-value">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every value in it is escaped above)


def _number(value):
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _shorten(text, limit=34):
    return text if len(text) <= limit else text[: limit - 1] + "…"

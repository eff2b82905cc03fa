"""The site's palette and type scale (static/css/site.css, :root) pass WCAG AA.

The colours are read from the stylesheet itself: the custom properties of its
first :root block, references resolved. Two kinds of pairs are checked:

- every rule that sets both a text colour and a background (a button, the
  quick exit, the header): text at 4.5:1;
- the pairs a rule's text meets on an ancestor's background (a link in a
  tinted box, the muted hours on a helpline card), written out below with the
  two rules that make them; each rule is looked up in the stylesheet, so a
  pair that is no longer used fails here until it is taken out.

Controls and their boundaries (WCAG 1.4.11) need 3:1 against what is around
them.
"""

import itertools
import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"
TEXT = 4.5
CONTROL = 3.0

# (selector whose `color` is the text, selector whose `background` it sits on,
# what it is). Each selector must set that property to that custom property.
TEXT_PAIRS = [
    (("body", "--ink"), ("body", "--paper"), "text on the page"),
    ((".hint", "--muted"), ("body", "--paper"), "hints and other muted text"),
    (("a", "--accent"), ("body", "--paper"), "links"),
    (("a:hover", "--accent-dark"), ("body", "--paper"), "a link under the pointer"),
    (("a", "--accent"), (".notice", "--tint"), "a link in a tinted box"),
    ((".hours", "--muted"), (".helplines li", "--tint"), "a help line's hours"),
    (("body", "--ink"), (".module-facts", "--tint"), "text in a tinted box"),
    ((".home-students h1", "--brand-deep"), (".home-students", "--tint"), "the home's title"),
    ((".home-students .eyebrow", "--accent"), (".home-students", "--tint"), "« Pour les jeunes »"),
    ((".ask-title", "--accent-dark"), (".ask-box", "--paper"), "the question box's title"),
    (("body", "--ink"), (".home-help .helplines li", "--signal-tint"), "a help line on the home"),
    ((".hours", "--muted"), (".home-help .helplines li", "--signal-tint"), "its hours"),
    (("a", "--accent"), (".home-help .helplines li", "--signal-tint"), "its number"),
    ((".home-staff .eyebrow", "--staff"), (".home-staff", "--staff-tint"), "« Pour le personnel »"),
    ((".home-staff h2", "--staff-dark"), (".home-staff", "--staff-tint"), "the staff's heading"),
    ((".home-staff a", "--staff"), (".home-staff", "--staff-tint"), "the staff's links"),
    (("body", "--ink"), (".home-staff", "--staff-tint"), "the staff's text"),
    (
        (".home-staff .button-staff", "--on-accent"),
        (".button-staff", "--staff"),
        "the staff's button",
    ),
    (
        (".home-staff .button-staff:hover", "--on-accent"),
        (".button-staff:hover", "--staff-dark"),
        "the staff's button under the pointer",
    ),
    ((".site-nav a", "--accent"), (".site-header", "--paper"), "the header's links"),
    ((".error-message", "--danger"), ("body", "--paper"), "an error beside a field"),
    ((".staff-nav a", None), (".staff-nav", "--accent-dark"), "staff menu"),
]
# (selector and property, background selector, what): 3:1 for what shows a control.
CONTROL_PAIRS = [
    ((".ask-box", "border", "--accent"), (".home-students", "--tint"), "the question box's edge"),
    ((".ask-box", "border", "--accent"), ("body", "--paper"), "the question box on the page"),
    ((".site-header", "border-bottom", "--accent"), ("body", "--paper"), "the header's edge"),
    ((".home-staff", "border-top", "--staff"), ("body", "--paper"), "the staff's band"),
]
WHITE = "#ffffff"


def _stylesheet():
    return re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)


def custom_properties():
    """{--name: #rrggbb or text} of the first :root block, var() resolved."""
    block = re.search(r":root\s*\{([^}]*)\}", _stylesheet()).group(1)
    raw = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", block))

    def resolve(value, seen=()):
        match = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
        if not match:
            return value.strip()
        name = match.group(1)
        assert name not in seen, f"{name} refers to itself"
        return resolve(raw[name], (*seen, name))

    return {name: resolve(value) for name, value in raw.items()}


def rules():
    """[(selector, {property: value})] of every innermost rule, in order."""
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", _stylesheet()):
        declarations = {
            name.strip(): value.strip()
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)
        }
        found.append((" ".join(selector.split()), declarations))
    return found


def _hex(value, properties):
    """The first colour of a declaration's value (#abc, #aabbcc or var(--x))."""
    for token in re.findall(r"var\(--[\w-]+\)|#[0-9a-fA-F]{3,6}\b", value):
        if token.startswith("var("):
            token = properties[token[4:-1]]
        if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", token):
            return token.lower()
    return None


def _luminance(colour):
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_is_wcags():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffbf47", WHITE) < 3  # the mark's yellow is no colour for text


def test_the_palette_and_the_type_scale_are_custom_properties():
    properties = custom_properties()
    colours = {k for k, v in properties.items() if re.fullmatch(r"#[0-9a-f]{6}", v)}
    # The mark's two colours are the palette's.
    mark = (CSS.parent.parent / "img" / "mark.svg").read_text(encoding="utf-8").lower()
    assert properties["--accent"] in mark and properties["--signal"] in mark
    assert {"--ink", "--paper", "--accent", "--signal", "--staff", "--danger"} <= set(properties)
    assert len(colours) >= 12
    steps = [float(properties[f"--step-{n}"].removesuffix("rem")) for n in range(7)]
    assert steps[0] == 1 and all(
        b / a == pytest.approx(1.2, abs=0.01) for a, b in itertools.pairwise(steps)
    )
    # The headings take their sizes from the scale.
    for heading in ("h1", "h2", "h3"):
        assert "var(--step-" in _declared(rules(), heading, "font-size", None), heading


def test_no_colour_outside_the_palette_in_the_identity_section():
    """The identity's rules (after its heading) use the palette, nothing else."""
    text = CSS.read_text(encoding="utf-8")
    identity = text[text.index("/* Identity") :]
    assert not re.findall(r"#[0-9a-fA-F]{3,6}\b|rgb\(|hsl\(", identity)


def test_every_rule_with_text_and_background_passes_aa():
    properties = custom_properties()
    failing = []
    checked = 0
    for selector, declarations in rules():
        background = declarations.get("background") or declarations.get("background-color")
        if "color" not in declarations or background is None:
            continue
        text, ground = _hex(declarations["color"], properties), _hex(background, properties)
        if text and ground:
            checked += 1
            if contrast(text, ground) < TEXT:
                failing.append(f"{selector}: {text} on {ground} {contrast(text, ground):.2f}")
    assert checked >= 8
    assert failing == []


def _declared(all_rules, selector, prop, name):
    """The value `selector` ends up with for `prop` (the last rule naming it
    wins), checked to be var(`name`)."""
    values = [
        declarations[prop]
        for selectors, declarations in all_rules
        if selector in (part.strip() for part in selectors.split(",")) and prop in declarations
    ]
    assert values, f"no rule `{selector} {{ {prop}: … }}` in site.css: is the pair still used?"
    if name is not None:
        assert f"var({name})" in values[-1], f"{selector} {prop}: {values[-1]}"
    return values[-1]


@pytest.mark.parametrize(("text", "ground", "what"), TEXT_PAIRS, ids=[p[2] for p in TEXT_PAIRS])
def test_text_on_the_backgrounds_it_meets_passes_aa(text, ground, what):
    properties, all_rules = custom_properties(), rules()
    colour = _hex(_declared(all_rules, text[0], "color", text[1]), properties)
    background = _hex(_declared(all_rules, ground[0], "background", ground[1]), properties)
    assert contrast(colour, background) >= TEXT, f"{what}: {colour} on {background}"


@pytest.mark.parametrize(
    ("edge", "ground", "what"), CONTROL_PAIRS, ids=[p[2] for p in CONTROL_PAIRS]
)
def test_the_edges_of_controls_and_boxes_pass_3_to_1(edge, ground, what):
    properties, all_rules = custom_properties(), rules()
    colour = _hex(_declared(all_rules, edge[0], edge[1], edge[2]), properties)
    background = _hex(_declared(all_rules, ground[0], "background", ground[1]), properties)
    assert contrast(colour, background) >= CONTROL, f"{what}: {colour} on {background}"


def test_the_focus_ring_shows_on_every_background():
    """The ring is an ink outline with a signal-yellow halo: the outline alone
    stands out from the paper, the tints and the halo itself."""
    properties = custom_properties()
    focus = _declared(rules(), ":focus-visible", "outline", None)
    assert "var(--ink)" in focus
    for ground in ("--paper", "--tint", "--signal-tint", "--staff-tint", "--signal"):
        assert contrast(properties["--ink"], properties[ground]) >= CONTROL, ground

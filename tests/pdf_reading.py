"""Reading a PDF as a person would see it: its pages as images, the size of its
type, its tags. For the tests of the printed materials (covers, posters, slides)."""

import ctypes
import io

import pypdfium2
import pypdfium2.raw as pdfium_c
import zxingcpp
from pypdf import PdfReader

# A character's loose box spans the font's ascent and descent: 1.164 em in DejaVu
# Sans (0.928 + 0.236), the only font the PDFs embed.
LOOSE_BOX_EM = 1.164
# A pixel this close to white on every channel is paper.
PAPER = 248


def page_image(pdf, index=0, *, scale=1.0):
    """Page `index` of `pdf` as an RGB image (`scale` pixels a point)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    return image


def page_count(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def type_sizes(pdf, index=0):
    """(text of page `index`, the type size in points of each of its characters)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        sizes = []
        for i in range(textpage.count_chars()):
            box = pdfium_c.FS_RECTF()
            pdfium_c.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(box))
            sizes.append((box.top - box.bottom) / LOOSE_BOX_EM)
        textpage.close()
        page.close()
    finally:
        document.close()
    return text, sizes


def squashed(text):
    """The text without its spaces and line breaks, which the text layer sets its own way."""
    return "".join(c for c in text if not c.isspace())


def sizes_of(text, sizes, needle):
    """The smallest type size of each occurrence of `needle` in the page's text,
    wherever its lines break."""
    kept = [s for c, s in zip(text, sizes, strict=False) if not c.isspace()]
    flat, wanted = squashed(text), squashed(needle)
    found, start = [], flat.find(wanted)
    while start >= 0:
        found.append(min(kept[start : start + len(wanted)]))
        start = flat.find(wanted, start + 1)
    return found


def _inked(pixel):
    return min(pixel) < PAPER


def inked_rows(image):
    """For each row of `image`, whether anything is printed on it."""
    width, height = image.size
    pixels = image.load()
    step = max(1, width // 300)
    return [any(_inked(pixels[x, y]) for x in range(0, width, step)) for y in range(height)]


def longest_blank_band(image):
    """The tallest band of rows with nothing printed, as a share of the page's height."""
    longest = run = 0
    for inked in inked_rows(image):
        run = 0 if inked else run + 1
        longest = max(longest, run)
    return longest / image.size[1]


def share_of_colour(image, rgb, tolerance=12):
    """The share of the page's pixels of colour `rgb` (give or take `tolerance`)."""
    data = image.convert("RGB").tobytes()
    pixels = len(data) // 3
    hits = sum(
        1
        for i in range(0, len(data), 3)
        if all(abs(data[i + k] - rgb[k]) <= tolerance for k in range(3))
    )
    return hits / pixels


def qr_texts(image):
    return [code.text for code in zxingcpp.read_barcodes(image)]


def structure(reader):
    """The tagged structure as (role, alternative text) pairs, in reading order."""
    found = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found

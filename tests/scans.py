"""Reports with known truth published as pictures: scanned PDFs and HTML pages whose tables are images.

The generated PDF (tests.generator) is rasterised with pdfium at the scan's resolution, then
damaged as a scanner and a seal do: grey noise, a slight rotation, JPEG artefacts, a red seal
stamped over a table. The truth is the figures the report was drawn from, never what the OCR reads.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import numpy as np
import pypdfium2
from PIL import Image, ImageDraw, ImageFont

from tests.fonts import cjk_ttf
from tests.generator import Damage, GTable, Layout, TrueReport, layout, render_html, render_pdf


@dataclass(frozen=True)
class Scan:
    dpi: int = 150
    noise: float = 0.0  # standard deviation of grey noise (0–255)
    rotation: float = 0.0  # degrees, at most this either way
    jpeg: int | None = None  # JPEG quality, None for lossless
    stamp: bool = False  # a red seal over the first table on the page


CLEAN = Scan()
NOISY = Scan(noise=10.0, rotation=0.8, jpeg=60, stamp=True)


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def _stamp(image: Image.Image, rng: random.Random) -> Image.Image:
    """A red seal (ring, star, text) over the page's upper half, drawn as ink would: red multiplied in."""
    w, h = image.size
    r = int(min(w, h) * 0.12)
    cx, cy = rng.randint(int(w * 0.3), int(w * 0.7)), rng.randint(int(h * 0.25), int(h * 0.6))
    seal = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    red = (220, 40, 40)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(3, r // 15))
    star = [
        (
            cx + (r * (0.3 if k % 2 else 0.12)) * math.sin(k * math.pi / 5),
            cy - (r * (0.3 if k % 2 else 0.12)) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(cjk_ttf()), max(10, r // 5))
    text = "政府信息公开专用章"
    for k, ch in enumerate(text):
        angle = math.pi * (-0.75 + 1.5 * k / (len(text) - 1))
        x, y = cx + 0.72 * r * math.sin(angle), cy - 0.72 * r * math.cos(angle)
        draw.text((x, y), ch, fill=red, font=font, anchor="mm")
    a, b = np.asarray(image, dtype=np.float32), np.asarray(seal, dtype=np.float32)
    return Image.fromarray((a * b / 255).astype(np.uint8))


def damage(image: Image.Image, scan: Scan, rng: random.Random) -> Image.Image:
    if scan.stamp:
        image = _stamp(image, rng)
    if scan.rotation:
        image = image.rotate(
            rng.uniform(-scan.rotation, scan.rotation), resample=Image.BILINEAR, fillcolor=(255, 255, 255)
        )
    if scan.noise:
        pixels = np.asarray(image, dtype=np.float32)
        noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, scan.noise, pixels.shape[:2])[..., None]
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    if scan.jpeg is not None:
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=scan.jpeg)
        image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return image


def scanned_pdf(report: TrueReport, scan: Scan = CLEAN, seed: int = 0) -> bytes:
    """The report printed (ruled PDF), scanned page by page: a PDF of pictures, no text layer."""
    rng = random.Random(seed)
    pages = [damage(p, scan, rng) for p in rasterise(render_pdf(layout(report, rng=random.Random(seed))), scan.dpi)]
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=float(scan.dpi))
    return buf.getvalue()


def _table_picture(table: GTable, scan: Scan, rng: random.Random) -> Image.Image:
    """One table as one picture: its printed pages cropped to the ink and stacked."""
    parts = []
    for page in rasterise(render_pdf(Layout([table])), scan.dpi):
        ink = np.asarray(page.convert("L")) < 200
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if rows.size:
            m = 12
            parts.append(page.crop((cols[0] - m, rows[0] - m, cols[-1] + m, rows[-1] + m)))
    width = max(p.width for p in parts)
    picture = Image.new("RGB", (width, sum(p.height for p in parts)), (255, 255, 255))
    y = 0
    for p in parts:
        picture.paste(p, (0, y))
        y += p.height
    return damage(picture, scan, rng)


def html_with_pictures(
    report: TrueReport, scan: Scan = CLEAN, seed: int = 0, folder: str = "report_files"
) -> tuple[bytes, dict[str, bytes]]:
    """An HTML page whose tables are `<img>` files beside it: (page, {relative path: PNG/JPEG bytes})."""
    rng = random.Random(seed)
    lay = layout(report, rng=random.Random(seed))
    blocks: list[str | GTable] = []
    files: dict[str, bytes] = {}
    pictures: dict[str, str] = {}
    for k, block in enumerate(lay.blocks):
        if isinstance(block, str):
            blocks.append(block)
            continue
        name = f"{folder}/table{k}.{'jpg' if scan.jpeg else 'png'}"
        buf = io.BytesIO()
        picture = _table_picture(block, scan, rng)
        picture.save(buf, format="JPEG" if scan.jpeg else "PNG", **({"quality": scan.jpeg} if scan.jpeg else {}))
        files[name] = buf.getvalue()
        marker = f"@@picture{k}@@"
        pictures[marker] = f'<p style="text-align:center"><img src="{name}" width="{picture.width}"/></p>'
        blocks.append(marker)
    page = render_html(Layout(blocks), damage=Damage())
    for marker, tag in pictures.items():
        page = page.replace(f"<p>{marker}</p>", tag)
    return page.encode("utf-8"), files

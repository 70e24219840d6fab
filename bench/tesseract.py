"""Tesseract as the recogniser of scanned reports' crops: for `bench.accuracy --engine tesseract` only.

xxgk reads scans with RapidOCR (pipelines.formats.ocr); this module exists to measure Tesseract on
the same crops (the grid and the text lines come from pipelines.formats.scan either way), so the
choice can be argued with figures. Nothing in the project imports it, and nothing installs it:

    apt-get install tesseract-ocr-chi-sim            # chi_sim.traineddata (Debian, tessdata 4.1.0)
    uv pip install --python .venv-test/bin/python tesserocr==2.13.0   # the C API, Tesseract 5.5 inside

Each crop is one line of text (page segmentation mode 7, the LSTM engine), scaled to the height
the RapidOCR recogniser gets (48 px), as Tesseract reads small print badly. Its confidence is the
least sure word's (Tesseract gives no per-character alternatives, so the rules have none to choose
from). Tesseract puts spaces between Chinese characters, which the cells never have: they are
dropped; and chi_sim reads a 7 among digits as 了, which is taken for the 7 (as RapidOCR's o for 0).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import numpy as np

from pipelines.formats.ocr import _FIGURE_LIKE, Recognised, _as_figure

TESSDATA = os.environ.get("TESSDATA_PREFIX", "/usr/share/tesseract-ocr/5/tessdata/")
_HEIGHT = 48


@cache
def _api() -> Any:
    import tesserocr

    return tesserocr.PyTessBaseAPI(
        path=TESSDATA, lang="chi_sim", psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY
    )


def load() -> None:
    _api()


def recognise(crops: list[np.ndarray]) -> list[Recognised]:
    """The text of each crop (one line of text each), in the order given."""
    import cv2
    from PIL import Image

    api = _api()
    out = []
    for crop in crops:
        grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
        h, w = grey.shape
        scale = _HEIGHT / max(h, 1)
        grey = cv2.resize(
            grey,
            (max(1, round(w * scale)), _HEIGHT),
            interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC,
        )
        api.SetImage(Image.fromarray(grey))
        text = "".join(api.GetUTF8Text().split())
        confidences = api.AllWordConfidences()
        confidence = min(confidences) / 100 if text and confidences else 1.0
        if "了" in text and set(text.replace("了", "")) <= _FIGURE_LIKE:
            text = text.replace("了", "7")  # chi_sim reads a lone 7 as 了 (as RapidOCR reads 0 as o)
        out.append(Recognised(_as_figure(text), confidence))
    return out

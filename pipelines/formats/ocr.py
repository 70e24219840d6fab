"""Text recognition of image crops: PaddleOCR's PP-OCRv4 recogniser on ONNX Runtime, CPU only.

The model ships inside the pinned `rapidocr-onnxruntime` wheel (models/ch_PP-OCRv4_rec_infer.onnx,
its character set in the model's metadata): installing the project installs it, nothing is
fetched at run time. Only the recogniser is used: where the text stands is known from the
table's ruling lines and the page's ink (pipelines.formats.scan), so the detector model is not
needed, and recognising cell crops in batches is what makes a page take about a second.

Each crop is one line of text. Besides the text, every character's probability is kept, and
where the runner-up at a position is a digit with a fair share of the probability, the text that
runner-up spells is an alternative reading (6/8, 1/7, 0/8): the template's arithmetic chooses
among them (pipelines.template.placement). The engine is loaded on first use only, so a report
without images never loads it.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

_HEIGHT = 48  # the recogniser's input height
# The recogniser's cost is about linear in the columns it is given, padding included, and a
# tensor beyond about a thousand columns runs slower per column (cache; one thread: 56–62 µs a
# column up to 1,024, 68–85 µs at 2,048): a batch holds crops of nearly the same width, up to
# this many columns in all.
_BATCH_COLUMNS = 1024
_MAX_PADDING = 1.15  # a batch's widest crop at most this many times its narrowest
_MIN_WIDTH = 48  # a lone digit's crop, padded: six of the recogniser's time steps
# A runner-up digit with at least this share of a position's probability is an alternative.
_ALTERNATIVE_SHARE = 0.05
_MAX_ALTERNATIVES = 3


# A cell of digits may come back with a letter that looks like one (0 read as o): where every
# character is a digit or such a letter, the letters are the digits.
_LOOKALIKES = str.maketrans("oOlI|", "00111")
_FIGURE_LIKE = frozenset("0123456789oOlI|.,-+")


def _as_figure(text: str) -> str:
    core = text.strip()
    if core and set(core) <= _FIGURE_LIKE and (any(c.isdigit() for c in core) or core in ("o", "O")):
        return core.translate(_LOOKALIKES)
    return text


class OcrUnavailable(RuntimeError):
    """The OCR engine is not installed (rapidocr-onnxruntime is a dependency of the project)."""


@dataclass(frozen=True)
class Recognised:
    text: str
    confidence: float  # the lowest probability of any character read (1.0 for no text)
    # Other texts the characters' runners-up spell, most likely first, with their probability
    # relative to the text read (only digit substitutions: the figures the rules can decide).
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass
class _Engine:
    session: Any
    input_name: str
    characters: list[str]  # index 0 is CTC's blank
    lock: threading.Lock
    # Each digit's classes: the digit and the glyphs that print like it (0 o O ０).
    digit_classes: dict[str, list[int]]


@cache
def _engine() -> _Engine:
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or spec.origin is None:
        raise OcrUnavailable("rapidocr-onnxruntime is not installed: OCR of scanned reports is unavailable")
    import onnxruntime

    model = Path(spec.origin).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"
    options = onnxruntime.SessionOptions()
    # One thread: reports are parsed in parallel processes, one per core.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 4
    session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    characters = ["<blank>", *meta["character"].splitlines(), " "]
    index = {c: k for k, c in enumerate(characters) if k}
    looks = {"0": "0oO\u3007０", "1": "1lI|１"}  # \u3007: the ideographic zero
    classes = {d: [index[c] for c in looks.get(d, d + chr(ord("０") + int(d))) if c in index] for d in "0123456789"}
    return _Engine(session, session.get_inputs()[0].name, characters, threading.Lock(), classes)


def _normalised(crop: np.ndarray, width: int) -> np.ndarray:
    """A crop (grey or RGB) resized to the recogniser's height, padded right to `width`."""
    import cv2

    if crop.ndim == 2:
        crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)
    h, w = crop.shape[:2]
    new_w = max(1, min(width, round(w * _HEIGHT / max(h, 1))))
    resized = cv2.resize(crop, (new_w, _HEIGHT), interpolation=cv2.INTER_AREA if h > _HEIGHT else cv2.INTER_CUBIC)
    out = np.zeros((3, _HEIGHT, width), dtype=np.float32)
    out[:, :, :new_w] = resized.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
    return out


def _decode(probs: np.ndarray, engine: _Engine) -> Recognised:
    """Greedy CTC decoding of one crop's (time, classes) probabilities, with each character's
    probability and its runner-up digit."""
    characters = engine.characters
    best = probs.argmax(axis=1)
    frames: list[int] = []  # per character read: its most probable frame
    previous = 0
    for t, k in enumerate(best):
        if k != 0 and k != previous:
            frames.append(t)
        elif k != 0 and frames and probs[t, k] > probs[frames[-1], k]:
            frames[-1] = t  # the same character over several frames: its best frame
        previous = int(k)
    if not frames:
        return Recognised("", 1.0)
    read = "".join(characters[best[t]] for t in frames)
    text = _as_figure(read)
    figure = text != read or text.strip().lstrip("+-").replace(".", "").replace(",", "").isdigit()
    confidence = 1.0
    alternatives: list[tuple[str, float]] = []
    for i, t in enumerate(frames):
        row = probs[t]
        if figure:
            # A figure's character is the digit whatever glyph class spelled it (0, o, O).
            classes = engine.digit_classes.get(text[i], [int(best[t])])
            p = float(row[classes].sum())
            rivals = [(d, float(row[engine.digit_classes[d]].sum())) for d in "0123456789" if d != text[i]]
            second, q = max(rivals, key=lambda r: r[1]) if text[i].isdigit() else ("", 0.0)
            if second and q >= _ALTERNATIVE_SHARE * p:
                alternatives.append((text[:i] + second + text[i + 1 :], q / p))
        else:
            p = float(row[best[t]])
        confidence = min(confidence, p)
    alternatives.sort(key=lambda a: -a[1])
    return Recognised(text, confidence, tuple(alternatives[:_MAX_ALTERNATIVES]))


def _width(crop: np.ndarray) -> int:
    """The crop's width at the recogniser's height, rounded up to a time step (8 columns)."""
    h, w = crop.shape[:2]
    return max(_MIN_WIDTH, -(-round(w * _HEIGHT / max(h, 1)) // 8) * 8)


def _batches(widths: list[int]) -> list[list[int]]:
    """Crop indices in batches of nearly equal width (little padding), narrowest first."""
    batches: list[list[int]] = []
    for i in sorted(range(len(widths)), key=lambda i: widths[i]):
        batch = batches[-1] if batches else None
        if (
            batch is not None
            and widths[i] <= _MAX_PADDING * widths[batch[0]]
            and (len(batch) + 1) * widths[i] <= _BATCH_COLUMNS
        ):
            batch.append(i)
        else:
            batches.append([i])
    return batches


def recognise(crops: list[np.ndarray]) -> list[Recognised]:
    """The text of each crop (one line of text each), in the order given."""
    if not crops:
        return []
    engine = _engine()
    out: list[Recognised | None] = [None] * len(crops)
    widths = [_width(c) for c in crops]
    for batch in _batches(widths):
        width = max(widths[i] for i in batch)
        tensor = np.stack([_normalised(crops[i], width) for i in batch])
        with engine.lock:
            (probs,) = engine.session.run(None, {engine.input_name: tensor})
        for i, p in zip(batch, probs, strict=True):
            out[i] = _decode(p, engine)
    return [r for r in out if r is not None]

"""Text recognition of image crops: PaddleOCR's PP-OCRv4 recogniser on ONNX Runtime, CPU only.

The model ships inside the pinned `rapidocr-onnxruntime` wheel (models/ch_PP-OCRv4_rec_infer.onnx,
its character set in the model's metadata): installing the project installs it, nothing is
fetched at run time. Only the recogniser is used: where the text stands is known from the
table's ruling lines and the page's ink (pipelines.formats.scan), so the detector model is not
needed, and recognising cell crops in batches is what makes a page take well under a second, with
the model's graph simplified at load (`_simplified`: the same arithmetic in fewer operators, a
third faster) and long lines read first at a lower height.

Each crop is one line of text. Besides the text, every character's probability is kept, and
where the runner-up at a position is a digit with a fair share of the probability, the text that
runner-up spells is an alternative reading (6/8, 1/7, 0/8): the template's arithmetic chooses
among them (pipelines.template.placement). The engine is loaded on first use only, so a report
without images never loads it.
"""

from __future__ import annotations

import importlib.util
import re
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
# A long line (a label, a heading, a sentence: wider than five characters) is read first at a
# lower height, at about (32/48)² of the cost; only where a character is unsure, or where it holds
# a number (a year, a figure), is it read again at full height. Narrower crops (most figures)
# are read at full height only.
_LOW_HEIGHT = 32
_LOW_FROM = 240  # columns at full height
_LOW_SURE = 0.7
_NUMBER = re.compile(r"\d\s*\d")
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


def _scalar(node: Any, constants: dict[str, np.ndarray]) -> tuple[float, str] | None:
    """(the constant, the other input) of a binary operator with one single-valued constant input."""
    for k in (0, 1):
        value = constants.get(node.input[k])
        if value is not None and value.size == 1:
            return float(value.reshape(-1)[0]), node.input[1 - k]
    return None


def _simplified(path: Path) -> bytes:
    """The recogniser's graph with the same arithmetic in fewer operators.

    PP-LCNetV3, as exported, follows each convolution with a learnable scale and shift (x·a + b),
    a hard-swish spelled out in four element-wise operators (y·clip(y+3, 0, 6)/6) and another
    scale and shift (h·c + d) before the next convolution: two fifths of the model's time went to
    those passes over memory. Folded here, exactly up to rounding: a and b into the convolution's
    weights and bias, the hard-swish as y·HardSigmoid(y), c into the next convolution's weights
    and d into its bias (a convolution without padding) or, before a padded one, an addition of
    d/c (the padding stays zero either way)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    constants = {n.output[0]: numpy_helper.to_array(n.attribute[0].t) for n in graph.node if n.op_type == "Constant"}
    users: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)
    dropped: set[int] = set()
    added: list[Any] = []

    def sole(name: str, op: str) -> Any:
        """The one operator reading `name` if it is `op`, else None."""
        readers = users.get(name, [])
        return readers[0] if len(readers) == 1 and readers[0].op_type == op and id(readers[0]) not in dropped else None

    def constant(node: Any, k: int, value: np.ndarray) -> None:
        name = f"simplified_{len(graph.initializer)}"
        constants[name] = value.astype(np.float32)
        graph.initializer.append(numpy_helper.from_array(constants[name], name))
        if k < len(node.input):
            node.input[k] = name
        else:
            node.input.append(name)

    def bias(conv: Any) -> np.ndarray:
        return constants[conv.input[2]] if len(conv.input) > 2 else np.zeros(constants[conv.input[1]].shape[0])

    def read_from(old: str, new: str) -> None:
        for reader in users.get(old, []):
            reader.input[:] = [new if name == old else name for name in reader.input]
            users.setdefault(new, []).append(reader)

    def chain(name: str, ops: tuple[str, ...]) -> list[Any] | None:
        """The operators `ops`, each the only reader of the one before, from `name` on."""
        links = []
        for op in ops:
            node = sole(name, op)
            if node is None:
                return None
            links.append(node)
            name = node.output[0]
        return links

    for conv in [n for n in graph.node if n.op_type == "Conv"]:  # conv → ·a → +b
        links = chain(conv.output[0], ("Mul", "Add"))
        if links is None:
            continue
        mul, add = links
        scale, shift = _scalar(mul, constants), _scalar(add, constants)
        if scale is None or shift is None:
            continue
        constant(conv, 1, constants[conv.input[1]] * scale[0])
        constant(conv, 2, bias(conv) * scale[0] + shift[0])
        dropped.update((id(mul), id(add)))
        read_from(add.output[0], conv.output[0])
    for add in [n for n in graph.node if n.op_type == "Add" and id(n) not in dropped]:  # y·clip(y+3, 0, 6)/6
        three = _scalar(add, constants)
        links = chain(add.output[0], ("Clip", "Mul", "Div")) if three is not None and three[0] == 3.0 else None
        if three is None or links is None:
            continue
        clip, mul, div = links
        if three[1] not in mul.input or _scalar(div, constants) != (6.0, mul.output[0]):
            continue
        gate = helper.make_node("HardSigmoid", [three[1]], [f"{add.output[0]}_gate"], alpha=1 / 6, beta=0.5)
        added += [gate, helper.make_node("Mul", [three[1], gate.output[0]], [div.output[0]])]
        dropped.update((id(add), id(clip), id(mul), id(div)))
    for mul in [n for n in graph.node if n.op_type == "Mul" and id(n) not in dropped]:  # ·c → +d → conv
        scale = _scalar(mul, constants)
        links = chain(mul.output[0], ("Add", "Conv")) if scale is not None and scale[0] != 0.0 else None
        if scale is None or links is None:
            continue
        add, conv = links
        shift = _scalar(add, constants)
        if shift is None or conv.input[0] != add.output[0]:
            continue
        weights = constants[conv.input[1]]
        constant(conv, 1, weights * scale[0])
        padded = any(any(a.ints) for a in conv.attribute if a.name == "pads")
        dropped.add(id(mul))
        if padded:
            add.input[:] = [scale[1], add.input[0] if add.input[1] == mul.output[0] else add.input[1]]
            constant(add, 1, np.array([shift[0] / scale[0]]))
        else:
            constant(conv, 2, bias(conv) + shift[0] * weights.sum(axis=(1, 2, 3)))
            dropped.add(id(add))
            conv.input[0] = scale[1]
    # The operators kept, in an order where each follows what it reads.
    nodes = [n for n in graph.node if id(n) not in dropped] + added
    ready = {i.name for i in graph.input} | {i.name for i in graph.initializer}
    ordered: list[Any] = []
    while nodes:
        rest = []
        for node in nodes:
            if all(not name or name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(nodes):
            raise RuntimeError(f"{path.name}: the simplified graph does not close")
        nodes = rest
    read = {name for node in ordered for name in node.input}
    del graph.node[:]
    graph.node.extend(n for n in ordered if n.op_type != "Constant" or n.output[0] in read)
    kept = [i for i in graph.initializer if i.name in read]  # weights replaced twice leave one behind
    del graph.initializer[:]
    graph.initializer.extend(kept)
    return bytes(model.SerializeToString())


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
    session = onnxruntime.InferenceSession(_simplified(model), sess_options=options, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    characters = ["<blank>", *meta["character"].splitlines(), " "]
    index = {c: k for k, c in enumerate(characters) if k}
    looks = {"0": "0oO\u3007０", "1": "1lI|１"}  # \u3007: the ideographic zero
    classes = {d: [index[c] for c in looks.get(d, d + chr(ord("０") + int(d))) if c in index] for d in "0123456789"}
    return _Engine(session, session.get_inputs()[0].name, characters, threading.Lock(), classes)


def _normalised(crop: np.ndarray, width: int, height: int) -> np.ndarray:
    """A crop (grey or RGB) resized to `height`, padded right to `width`."""
    import cv2

    if crop.ndim == 2:
        crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)
    h, w = crop.shape[:2]
    new_w = max(1, min(width, round(w * height / max(h, 1))))
    resized = cv2.resize(crop, (new_w, height), interpolation=cv2.INTER_AREA if h > height else cv2.INTER_CUBIC)
    out = np.zeros((3, height, width), dtype=np.float32)
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


def _width(crop: np.ndarray, height: int = _HEIGHT) -> int:
    """The crop's width at `height`, rounded up to a time step (8 columns)."""
    h, w = crop.shape[:2]
    return max(_MIN_WIDTH, -(-round(w * height / max(h, 1)) // 8) * 8)


def _batches(widths: list[int], columns: int = _BATCH_COLUMNS) -> list[list[int]]:
    """Crop indices in batches of nearly equal width (little padding), narrowest first."""
    batches: list[list[int]] = []
    for i in sorted(range(len(widths)), key=lambda i: widths[i]):
        batch = batches[-1] if batches else None
        if (
            batch is not None
            and widths[i] <= _MAX_PADDING * widths[batch[0]]
            and (len(batch) + 1) * widths[i] <= columns
        ):
            batch.append(i)
        else:
            batches.append([i])
    return batches


def _read(engine: _Engine, crops: list[np.ndarray], height: int) -> list[Recognised]:
    """Each crop read at `height`, in the order given."""
    out: list[Recognised | None] = [None] * len(crops)
    widths = [_width(c, height) for c in crops]
    # The same pixels per batch at any height (what the per-column cost depends on).
    for batch in _batches(widths, _BATCH_COLUMNS * _HEIGHT // height):
        width = max(widths[i] for i in batch)
        tensor = np.stack([_normalised(crops[i], width, height) for i in batch])
        with engine.lock:
            (probs,) = engine.session.run(None, {engine.input_name: tensor})
        for i, p in zip(batch, probs, strict=True):
            out[i] = _decode(p, engine)
    return [r for r in out if r is not None]


def _sure_at_low_height(read: Recognised) -> bool:
    """A long line read at the low height is kept if every character was sure and it holds no
    number (a year, a figure): those are read again at full height."""
    return read.confidence >= _LOW_SURE and _NUMBER.search(read.text) is None


def recognise(crops: list[np.ndarray]) -> list[Recognised]:
    """The text of each crop (one line of text each), in the order given."""
    if not crops:
        return []
    engine = _engine()
    out: list[Recognised | None] = [None] * len(crops)
    long = [i for i, c in enumerate(crops) if _width(c) > _LOW_FROM]
    for i, read in zip(long, _read(engine, [crops[i] for i in long], _LOW_HEIGHT), strict=True):
        if _sure_at_low_height(read):
            out[i] = read
    again = [i for i, r in enumerate(out) if r is None]
    for i, read in zip(again, _read(engine, [crops[i] for i in again], _HEIGHT), strict=True):
        out[i] = read
    return [r for r in out if r is not None]

"""Traditional → simplified characters, for documents from mirror sites that convert whole pages.

The template, its labels and agency names are simplified; a page converted to traditional (條/項/
數/處罰/廣州市生態環境局) is converted back with OpenCC (the maintained converter, Apache-2.0),
never a hand table. Only a document that is traditional as a whole is converted: simplified text
has a few characters that t2s would change too (乾县 → 干县), and those must stay as printed.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

# A document is traditional when t2s changes at least this many characters and this share of them.
_MIN_CHANGED = 8
_MIN_SHARE = 0.02
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Mirror sites that convert a page to traditional also gloss some characters with their pinyin:
# 機(jī)關(guān), 項(xiàng). The gloss is not the report's: it splits names and labels (規(guī)章).
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü\u00e0-\u00fc\u0101-\u017e\u01ce-\u01dc]{1,7}[)）]")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in simplified characters (OpenCC t2s), without a mirror site's pinyin glosses."""
    return _converter().convert(_PINYIN_GLOSS.sub("", text))


@cache
def _changed_by_t2s() -> re.Pattern[str]:
    """The characters t2s changes on their own, derived once from the converter itself (every CJK
    character converted in one call), so the test cannot drift from OpenCC's dictionaries."""
    han = "".join(map(chr, range(0x4E00, 0xA000)))
    converted = _converter().convert(han)
    if len(converted) == len(han):
        changed = {a for a, b in zip(han, converted, strict=True) if a != b}
    else:  # a character converted to two would shift the pairing: compare one by one
        changed = {c for c in han if _converter().convert(c) != c}
    return re.compile("[" + "".join(sorted(changed)) + "]")


def is_traditional(text: str) -> bool:
    """Whether `text` is written in traditional characters as a whole: enough of its characters
    (counted with repeats) are ones t2s changes. Two regex scans: it runs on every document, and
    twice on most (the reader asks, then the agency's search asks of the same text object), so
    the last text's answer is kept."""
    last_text, last_answer = _LAST[0]
    if text is last_text:
        return last_answer
    answer = _is_traditional(text)
    _LAST[0] = (text, answer)
    return answer


# The last text is_traditional read and its answer (a document's text; one held at a time).
_LAST: list[tuple[str | None, bool]] = [(None, False)]


def _is_traditional(text: str) -> bool:
    changed = len(_changed_by_t2s().findall(text))
    if changed < _MIN_CHANGED:
        return False
    return changed >= _MIN_SHARE * len(_HAN.findall(text))


def simplified_if_traditional(text: str) -> str:
    """`text` converted when it is traditional as a whole; simplified text as it is."""
    return to_simplified(text) if is_traditional(text) else text

"""Traditional → simplified characters, for documents from mirror sites that convert whole pages.

The template, its labels and agency names are simplified; a page converted to traditional (條/項/
數/處罰/廣州市生態環境局) is converted back with OpenCC (the maintained converter, Apache-2.0),
never a hand table. Only a document that is traditional as a whole is converted: simplified text
has a few characters that t2s would change too (乾县 → 干县), and those must stay as printed.
"""

from __future__ import annotations

from functools import cache

import opencc

# A document is traditional when t2s changes at least this many characters and this share of them.
_MIN_CHANGED = 8
_MIN_SHARE = 0.02


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in simplified characters (OpenCC t2s)."""
    return _converter().convert(text)


def is_traditional(text: str) -> bool:
    """Whether `text` is written in traditional characters as a whole: enough of its characters
    (counted with repeats) are ones t2s changes."""
    counts: dict[str, int] = {}
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            counts[ch] = counts.get(ch, 0) + 1
    if not counts:
        return False
    convert = _converter().convert
    changed = sum(n for ch, n in counts.items() if convert(ch) != ch)
    return changed >= _MIN_CHANGED and changed >= _MIN_SHARE * sum(counts.values())


def simplified_if_traditional(text: str) -> str:
    """`text` converted when it is traditional as a whole; simplified text as it is."""
    return to_simplified(text) if is_traditional(text) else text

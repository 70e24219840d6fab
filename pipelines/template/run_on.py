"""A report printed on one line → the same report one row per line.

Some document sites serve a report with every line break lost: title, prose, the parts'
headings, table rows and their figures run into one line (`…二、主动公开政府信息情况第二十条第(一)项
信息内容本年新制作数量…规章555规范性文件141414第二十条第(五)项…`), or joined by single spaces. Such a
line is broken back where the template's own structure says a line ends: before and after each
part's heading, and inside the tables before each group label (第二十条…, 信息内容), row label and
numbered item, and after each row's figures. What comes out is the text-copied-from-a-web-page
layout (a row's label and its figures run together on one line), which the table readers cut by
the template's rules. A document whose lines are already broken is returned unchanged.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.formats.document import Document
from pipelines.formats.text import text_rows

# The six parts' headings as the template words them (a space may follow the numeral).
_HEADING = re.compile(
    r"[一二三四五六]、\s*(?:总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况"
    r"|政府信息公开行政复议、?\s*行政诉讼情况|存在的主要问题及改进情况|其他需要报告的事项)"
)
_TEXT_LAYOUTS = ("text/plain", "text/pipes", "text/cell-per-line-pipes", "text/spaces")
_CJK = "\u4e00-\u9fff"


def _spaced(word: str) -> str:
    """`word` with any whitespace between its characters (pages put stray spaces inside labels)."""
    return r"\s*".join(re.escape(c) for c in word)


# Where a row of a table begins: a group label, a row label of section 2 (行政规范性文件 before
# 规范性文件, so the longer one wins where both could start), the column headers' first words,
# section 3's numbered rows and items.
_ROW_START = re.compile(
    "|".join(
        [
            _spaced("第二十条"),
            _spaced("信息内容"),
            *(
                _spaced(w)
                for w in (
                    "行政规范性文件",
                    "规范性文件",
                    "规章",
                    "行政许可",
                    "其他对外管理服务事项",
                    "行政处罚",
                    "行政强制",
                    "行政事业性收费",
                    "政府集中采购",
                    "自然人",
                    "商业企业",
                    "行政复议",
                    "结果维持",
                )
            ),
            r"[一二三四]、\s*(?=本|上|结|转)",
            r"(?<!第)[(（][一二三四五六七][)）]",
            rf"\d\.(?=\s*[{_CJK}])",
        ]
    )
)
# A row's figures end where a label begins: after a digit not followed by more of the number,
# by an enumerator's dot or by a unit.
_FIGURES_END = re.compile(rf"(?<=\d)(?=\s*[{_CJK}(（])(?!\s*[元万%])")


_DATA_AFTER_HEADER = re.compile(rf"(?<=[{_CJK}])\s*(?=\d)")


def _is_run_on(line: str) -> bool:
    # Each heading holds its numeral's 、: a line with fewer than two holds fewer than two headings
    # (most lines: one count in C instead of the search).
    return line.count("、") >= 2 and len(_HEADING.findall(line)) >= 2


def _break_tables(text: str, section: int) -> str:
    """Break the run-on table of section 2, 3 or 4 into one row per line."""
    text = _ROW_START.sub(lambda m: "\n" + m.group(0), text)
    if section == 4:  # its one row of figures has no label: it begins after the headers' last word
        text = _DATA_AFTER_HEADER.sub("\n", text, count=1)
    return _FIGURES_END.sub("\n", text)


def _unfold(line: str) -> str:
    pieces: list[str] = []
    last = 0
    headings = list(_HEADING.finditer(line))
    for n, m in enumerate(headings):
        pieces.append(line[last : m.start()])
        number = m.group(0)[0]
        end = headings[n + 1].start() if n + 1 < len(headings) else len(line)
        body = line[m.end() : end]
        if number in "二三四":
            body = _break_tables(body, "一二三四".index(number) + 1)
        pieces.append("\n" + m.group(0).strip() + "\n" + body)
        last = end
    pieces.append(line[last:])
    return "\n".join(p.strip() for p in "".join(pieces).split("\n") if p.strip())


def unfold_run_on(doc: Document) -> Document:
    """`doc` with every line that runs two or more parts together broken back into lines, read
    again as text; `doc` itself where no line does (and for every format but text)."""
    if doc.layout not in _TEXT_LAYOUTS or not any(_is_run_on(line) for line in doc.text.splitlines()):
        return doc
    text = "\n".join(_unfold(line) if _is_run_on(line) else line for line in doc.text.splitlines())
    layout, rows = text_rows(text, doc.path.name)
    return replace(doc, text=text, layout=layout, rows=rows)

"""Reports with known truth in the print layouts real publishers produce, and mixed templates.

`tests.generator` renders one clean logical layout per format. Real files add what their tools
do to it: HTML exported from Word into a CMS page, PDFs printed from Word/WPS (wrapped and split
labels, a table broken across pages inside a label, rows without ruling) and the text poppler
pulls out of them, and reports that mix the two templates section by section.

Registry: ``WILD_PRINT[class](truth, rng) -> (suffix, bytes)``; ``draw(class, rng)`` draws the
truth a class is meant for (a ``WildTruth``). A renderer accepts any ``TrueReport``; the mixed
template lives in the truth's keys (a 2021 report with ``other_handling`` cells prints
（六）其他处理 as one row), so every class can print a mixed report.

Absent cells: ``WildTruth.values`` has no entry for a cell the print does not contain (the three
2021 ``other_*`` sub-rows when （六）其他处理 is one row); those keys are listed in
``WildTruth.absent``. A parser is right on an absent key only if it reports no value for it.
"""

from __future__ import annotations

import html as html_lib
import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from models.catalog import CellKey, cells_for
from tests.generator import (
    FONT,
    HEADINGS,
    Damage,
    GCell,
    GTable,
    Layout,
    TrueReport,
    layout,
    pdf_layout_text,
    random_report,
    register_cjk_font,
    render_docx,
    render_html,
    render_pdf,
    render_text,
)

OTHER_SUB_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_other")
Renderer = Callable[[TrueReport, random.Random], tuple[str, bytes]]


@dataclass
class WildTruth(TrueReport):
    """A TrueReport that may lack cells: `absent` are template cells the print does not carry."""

    absent: frozenset[CellKey] = frozenset()
    section_templates: dict[int, str] = field(default_factory=dict)  # template each table is printed in
    variant: str = ""  # e.g. "undivided-other", "2019-late"


# ---------------------------------------------------------------------------------------------
# Agencies and titles as real pages print them

# (agency, the site or body a page's 来源： line names, which is not the agency)
_AGENCIES: tuple[tuple[str, str], ...] = (
    ("十堰市生态环境局郧阳分局", "十堰市人民政府"),
    ("襄阳市生态环境局襄州分局", "襄州区人民政府"),
    ("宜昌市生态环境局夷陵分局", "宜昌市生态环境局"),
    ("南充市生态环境局顺庆分局", "南充市人民政府"),
    ("南昌市青山湖区人民政府办公室", "青山湖区人民政府"),
    ("成都市武侯区人民政府办公室", "武侯区政务服务管理和网络理政办公室"),
    ("西安市雁塔区人民政府办公室", "雁塔区人民政府网"),
    ("湖南省自然资源厅", "湖南省人民政府门户网站"),
    ("江西省自然资源厅", "江西省人民政府"),
    ("四川省自然资源厅", "四川省人民政府网站"),
    ("平江县教育局", "平江县人民政府"),
    ("桐庐县教育局", "桐庐县人民政府办公室"),
    ("蒙城县教育局", "蒙城县政务公开办"),
    ("桐庐县分水镇人民政府", "桐庐县人民政府"),
    ("宜兴市丁蜀镇人民政府", "宜兴市人民政府"),
    ("德清县新市镇人民政府", "德清县人民政府"),
)


def _titles(agency: str, year: int) -> list[list[str]]:
    """Title lines as pages print them (one or two lines)."""
    return [
        [f"{agency}{year}年政府信息公开工作年度报告"],
        [f"{year}年度{agency}政府信息公开工作年度报告"],
        [f"{agency}{year}年度政府信息公开工作年度报告"],
        [f"{agency}{year}年政府信息公开年度报告"],
        [agency, f"{year}年政府信息公开工作年度报告"],
        [f"{agency}关于{year}年度政府信息公开工作的年度报告"],
    ]


def _source_of(agency: str) -> str:
    return dict(_AGENCIES).get(agency, "本网")


# ---------------------------------------------------------------------------------------------
# Truth


def _identity(rng: random.Random, years: list[int]) -> tuple[str, int]:
    return rng.choice(_AGENCIES)[0], rng.choice(years)


def _plain(rng: random.Random) -> WildTruth:
    template = "2021" if rng.random() < 0.7 else "2019"
    base = random_report(rng, template=template, density=rng.choice([0.3, 0.6]))
    years = [2020, 2021, 2022, 2023] if template == "2021" else [2019, 2020]
    agency, year = _identity(rng, years)
    return WildTruth(agency, year, template, base.values, section_templates={2: template, 3: template, 4: template})


def _undivided_other(rng: random.Random) -> WildTruth:
    """A 2021 section 2 with the 2019 section 3 (one （六）其他处理 row): other_handling is
    present and the three 2021 sub-rows are absent. Half the time the row carries figures."""
    s2 = random_report(rng, template="2021")
    want_figures = rng.random() < 0.5
    for _ in range(200):
        s3 = random_report(rng, template="2019", density=0.6)
        has = s3.values[CellKey(3, "requests", "other_handling", "total")] > 0
        if has == want_figures:
            break
    values = {k: v for k, v in s2.values.items() if k.section != 3}
    values.update({k: v for k, v in s3.values.items() if k.section == 3})
    absent = frozenset(k for k in cells_for("2021") if k.row_key in OTHER_SUB_ROWS)
    agency, year = _identity(rng, [2020, 2021, 2022, 2023])
    return WildTruth(
        agency,
        year,
        "2021",
        values,
        absent=absent,
        section_templates={2: "2021", 3: "2019", 4: "2021"},
        variant="undivided-other",
    )


def _late_2019(rng: random.Random) -> WildTruth:
    """The 2019 template, whole, in a report for 2020–2022."""
    base = random_report(rng, template="2019", density=rng.choice([0.3, 0.6]))
    agency, year = _identity(rng, [2020, 2021, 2022])
    return WildTruth(
        agency, year, "2019", base.values, section_templates={2: "2019", 3: "2019", 4: "2019"}, variant="2019-late"
    )


def _mixed(rng: random.Random) -> WildTruth:
    return _undivided_other(rng) if rng.random() < 0.5 else _late_2019(rng)


DRAW: dict[str, Callable[[random.Random], WildTruth]] = {
    "html-word": _plain,
    "pdf-wps": _plain,
    "pdftotext-wps": _plain,
    "mixed-template": _mixed,
    # The two halves of mixed-template, to measure them apart.
    "mixed-undivided-other": _undivided_other,
    "mixed-2019-late": _late_2019,
}


def draw(cls: str, rng: random.Random) -> WildTruth:
    return DRAW[cls](rng)


# ---------------------------------------------------------------------------------------------
# The logical layout of a possibly mixed report, from the generator's own tables


def _section3_template(report: TrueReport) -> str:
    return "2019" if CellKey(3, "requests", "other_handling", "total") in report.values else "2021"


def wild_layout(report: TrueReport, rng: random.Random) -> Layout:
    """The generator's layout, with section 3 drawn in the template its keys belong to and a
    title as real pages print it. (The generator indexes every cell of its template, so cells
    the print lacks are filled with 0 for drawing only; they are not printed.)"""
    s3 = _section3_template(report)
    filled = dict.fromkeys(set(cells_for(report.template)) | set(cells_for(s3)), 0.0)
    filled.update(report.values)
    main = layout(TrueReport(report.agency, report.year, report.template, filled))
    blocks = list(main.blocks)
    if s3 != report.template:
        other = layout(TrueReport(report.agency, report.year, s3, filled))
        tables = [i for i, b in enumerate(blocks) if isinstance(b, GTable)]
        blocks[tables[1]] = [b for b in other.blocks if isinstance(b, GTable)][1]
    title = rng.choice(_titles(report.agency, report.year))
    blocks[0:1] = title
    if rng.random() < 0.3:
        # The opening names the report again, as many do.
        i = len(title)
        blocks[i] = (
            f"根据《中华人民共和国政府信息公开条例》规定，特向社会公布{report.year}年度{report.agency}"
            f"政府信息公开工作年度报告。本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"
        )
    return Layout(blocks)


def _tables(lay: Layout) -> list[GTable]:
    return [b for b in lay.blocks if isinstance(b, GTable)]


# ---------------------------------------------------------------------------------------------
# html-word: a Word "Save as web page" body pasted into a CMS article page

# Heading typos seen on real pages; each keeps the section's words recognisable to a reader.
HEADING_TYPOS: dict[int, tuple[str, ...]] = {
    2: ("二、主动公开政府信息情況", "二、主动公开政府信息情况 ", "二、主动公开政府信息工作情况"),
    3: ("三、收到和处理政府信息公开申请情況", "三、收到和处理政府信息申请情况", "三、收到和处理政府公开信息申请情况"),
    4: (
        "四、政府信息公开行政法复议、行政诉讼情况",
        "四、政府信息公开行政复议、行政讼诉情况",
        "四、政府信息公开行政复议行政诉讼情况",
    ),
}
_NB = "&nbsp;"
_SPAN_STYLES = (
    "font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体",
    "font-size:10.5pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体",
    'font-size:10.0pt;font-family:"Times New Roman",serif;mso-fareast-font-family:仿宋_GB2312',
)
_CENTER = " align=center style='text-align:center'"


def _span(text: str, rng: random.Random, lang: bool = False) -> str:
    lang_attr = " lang=EN-US" if lang or rng.random() < 0.3 else ""
    return f"<span{lang_attr} style='{rng.choice(_SPAN_STYLES)}'>{text}</span>"


def _chunks(text: str, rng: random.Random) -> list[str]:
    """A label as Word stores it: runs of one to three characters (each edit is its own run)."""
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 3)
        out.append(text[i : i + n])
        i += n
    return out


def _nbsp_inside(text: str, rng: random.Random) -> str:
    """Spaces typed to spread a short label (自  然  人): runs of &nbsp; between characters."""
    return (_NB * rng.randint(1, 3)).join(html_lib.escape(ch) for ch in text)


def _word_cell_html(cell: GCell, rng: random.Random, vertical: bool) -> str:
    text = cell.text.replace("\n", "")
    if cell.figure:
        if not text:
            return f"<p class=MsoNormal{_CENTER}><span lang=EN-US>{_NB}<o:p></o:p></span></p>"
        pad = _NB * rng.randint(0, 2)
        # A figure typed over two edits comes out as two runs: 1 | 2.
        runs = (
            "".join(_span(html_lib.escape(part), rng, lang=True) for part in _chunks(text, rng))
            if rng.random() < 0.2
            else _span(html_lib.escape(text), rng, lang=True)
        )
        return f"<p class=MsoNormal{_CENTER}>{pad}{runs}<o:p></o:p></p>"
    if not text:
        return f"<p class=MsoNormal><span lang=EN-US>{_NB}<o:p></o:p></span></p>"
    if vertical:
        # One character per paragraph: a header typed down a narrow column (结/果/维/持).
        return "\r\n".join(f"<p class=MsoNormal{_CENTER}>{_span(html_lib.escape(ch), rng)}</p>" for ch in text)
    if len(text) <= 4 and rng.random() < 0.4:
        return f"<p class=MsoNormal{_CENTER}>{_span(_nbsp_inside(text, rng), rng)}</p>"
    if len(text) > 10 and rng.random() < 0.4:
        # A long label broken by hand over two paragraphs.
        cut = rng.randint(3, len(text) - 3)
        parts = [text[:cut], text[cut:]]
    else:
        parts = [text]
    return "\r\n".join(
        f"<p class=MsoNormal>{''.join(_span(html_lib.escape(c), rng) for c in _chunks(p, rng))}</p>" for p in parts
    )


def _repeat_results_label(table: GTable, rng: random.Random) -> GTable:
    """Word splits the 三、本年度办理结果 rowspan where the table crossed a page in the .doc:
    the exported label cell appears twice, each spanning part of the block."""
    rows = [list(r) for r in table.rows]
    start = next((i for i, r in enumerate(rows) if r and r[0].text.replace("\n", "") == "三、本年度办理结果"), None)
    if start is None:
        return table
    outer = rows[start][0]
    k = rng.randint(3, outer.rowspan - 3)
    rows[start][0] = replace(outer, rowspan=k)
    rows[start + k].insert(0, replace(outer, rowspan=outer.rowspan - k))
    return GTable(rows, table.n_cols)


def _vertical_label(cell: GCell, section: int) -> bool:
    text = cell.text.replace("\n", "")
    if section == 4:
        return text in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return text in ("三、本年度办理结果", "申请人情况", "自然人")


def _word_table(table: GTable, section: int, rng: random.Random) -> str:
    widths = [rng.choice([47, 57, 64, 85]) for _ in range(table.n_cols)]
    trs = []
    for r, placed in enumerate(table.grid()):
        tds = []
        for c, cell in placed:
            attrs = f" width={sum(widths[c : c + cell.colspan])}"
            attrs += f" rowspan={cell.rowspan}" if cell.rowspan > 1 else ""
            attrs += f" colspan={cell.colspan}" if cell.colspan > 1 else ""
            style = "border:solid windowtext 1.0pt;border-top:none;padding:0cm 5.4pt 0cm 5.4pt"
            vertical = _vertical_label(cell, section) and rng.random() < 0.8
            tds.append(f"<td{attrs} valign=top style='{style}'>\r\n{_word_cell_html(cell, rng, vertical)}\r\n</td>")
        trs.append(
            f"<tr style='mso-yfti-irow:{r};height:{rng.choice([15.6, 20.25, 28.5])}pt'>\r\n"
            + "\r\n".join(tds)
            + "\r\n</tr>"
        )
    # Word's trailer row for browsers that misalign columns: empty cells of the grid's widths.
    trs.append(
        "<![if !supportMisalignedColumns]>\r\n<tr height=0>"
        + "".join(f"<td width={w} style='border:none'></td>" for w in widths)
        + "</tr>\r\n<![endif]>"
    )
    return (
        "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0\r\n style='border-collapse:collapse;"
        "border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184'>\r\n"
        + "\r\n".join(trs)
        + "\r\n</table>"
    )


def _word_paragraph(text: str, rng: random.Random, kind: str) -> str:
    if kind == "title":
        return (
            f"<p class=MsoNormal{_CENTER}><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>"
            f"{html_lib.escape(text)}</span></b></p>"
        )
    if kind == "heading":
        runs = (
            "".join(_span(html_lib.escape(c), rng) for c in _chunks(text, rng))
            if rng.random() < 0.3
            else _span(html_lib.escape(text), rng)
        )
        return f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><b>{runs}</b></p>"
    return (
        f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;"
        f"font-family:仿宋_GB2312'>{html_lib.escape(text)}</span></p>"
    )


def _wrap_source(page: str, width: int = 76) -> str:
    """Word wraps its HTML source at about 76 columns, at the last chance before the limit: a
    space inside a tag, or between two Han characters of text (which a browser shows as nothing,
    and a reader may take as a paragraph break)."""
    out: list[str] = []
    line_start = 0  # index in `out` where the current source line starts
    chance: int | None = None  # index in `out` of the last place the line may break
    in_tag = False
    for ch in page:
        if ch == "\n":
            out.append(ch)
            line_start, chance = len(out), None
            continue
        between_hanzi = not in_tag and "\u4e00" <= ch <= "\u9fff" and bool(out) and "\u4e00" <= out[-1] <= "\u9fff"
        if (in_tag and ch == " ") or between_hanzi:
            chance = len(out)
        in_tag = (in_tag or ch == "<") and ch != ">"
        out.append(ch)
        if len(out) - line_start > width and chance is not None and chance > line_start:
            if out[chance] == " ":
                out[chance] = "\r\n"
            else:
                out.insert(chance, "\r\n")
            line_start, chance = chance + 1, None
    return "".join(out)


def _chrome(report: TrueReport, article: str, title: str, rng: random.Random) -> str:
    """The CMS page around the article: site banner, breadcrumbs, a 来源： line naming another
    body, share and print buttons, the attachment, previous/next links to other reports."""
    source = _source_of(report.agency)
    site = source if source.endswith(("政府", "网站", "网")) else f"{source}网站"
    sibling = rng.choice([a for a, _ in _AGENCIES if a != report.agency])
    published = f"{report.year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    parts = [
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">',
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{html_lib.escape(title)}_{site}</title>',
        '<script src="/js/jquery.min.js"></script><script>var _hmt = _hmt || [];</script></head><body>',
        f'<div class="top"><div class="logo">{site}</div><div class="welcome">欢迎来到{site}！</div>'
        '<div class="search"><input type="text" value="请输入关键字"><a href="#">搜索</a></div></div>',
        '<div class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
        '<li><a href="/hdjl">互动交流</a></li><li><a href="/zwfw">政务服务</a></li></ul></div>',
        '<div class="crumbs">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; '
        '<a href="/zwgk/ndbg">政府信息公开年报</a></div>',
        f'<div class="article"><h1 class="art-title">{html_lib.escape(title)}</h1>',
        f'<div class="art-info"><span>发布时间：{published}</span> <span>来源：{source}</span> '
        "<span>浏览次数：<script>document.write(1024)</script></span> <span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>",
        f"<div class=\"TRS_Editor\"><div class=WordSection1 style='layout-grid:15.6pt'>\r\n{article}\r\n</div></div>",
        f'<div class="attach">附件下载：<a href="/upload/file.docx">{html_lib.escape(title)}.docx</a></div>',
        '<div class="share">分享到：<a class="wx">微信</a> <a class="wb">微博</a> <a class="qq">QQ空间</a>'
        ' 【<a href="javascript:window.print()">打印本页</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</div>',
        f'<div class="prevnext"><p>上一篇：<a href="/a.html">{sibling}{report.year}年政府信息公开工作年度报告</a></p>'
        f'<p>下一篇：<a href="/b.html">{sibling}{report.year - 1}年政府信息公开工作年度报告</a></p></div></div>',
        f'<div class="footer">主办：{site} 承办：{source}办公室 网站标识码：4{rng.randint(10**8, 10**9 - 1)} '
        f"<a>鄂ICP备{rng.randint(10**7, 10**8 - 1)}号</a></div></body></html>",
    ]
    return "\r\n".join(parts)


def _html_word(report: TrueReport, rng: random.Random, feats: set[str]) -> tuple[str, bytes]:
    lay = wild_layout(report, rng)
    headings = {v: k for k, v in HEADINGS.items()}
    typo_section = rng.choice([2, 3, 4, 4, None])
    if typo_section:
        feats.add(f"heading-typo-{typo_section}")
    n_title = next(
        i
        for i, b in enumerate(lay.blocks)
        if (isinstance(b, str) and b.startswith("本报告根据")) or (isinstance(b, str) and b.startswith("根据《"))
    )
    title = "".join(b for b in lay.blocks[:n_title] if isinstance(b, str))
    body: list[str] = []
    section = 1
    for i, block in enumerate(lay.blocks):
        if isinstance(block, GTable):
            table = block
            if section == 3 and rng.random() < 0.6:
                table = _repeat_results_label(block, rng)
                feats.add("results-label-twice")
            body.append(_word_table(table, section, rng))
        elif block in headings:
            section = headings[block]
            text = rng.choice(HEADING_TYPOS[section]) if section == typo_section else block
            body.append(_word_paragraph(text, rng, "heading"))
        else:
            body.append(_word_paragraph(block, rng, "title" if i < n_title else "text"))
    article = "\r\n".join(body)
    if rng.random() < 0.3:
        article = _wrap_source(article)
        feats.add("source-wrapped")
    page = _chrome(report, article, title, rng)
    return ".html", page.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# pdf-wps: printed from Word/WPS to PDF

_NUMBERED = re.compile(r"^(\d)\.")


def _wps_label(cell: GCell, section: int, rng: random.Random, comma_numbers: bool) -> GCell:
    """Labels as typed in WPS: sub-rows numbered 1、 and short headers spread with a space
    (结 果维持), as distributed alignment prints them."""
    if cell.figure:
        return cell
    text = cell.text
    if comma_numbers:
        text = _NUMBERED.sub(r"\1、", text)
    spread = ("结果维持", "结果纠正", "其他结果", "尚未审结", "自然人", "商业企业", "科研机构")
    if text in spread and rng.random() < 0.5:
        cut = rng.randint(1, len(text) - 1)
        text = text[:cut] + " " + text[cut:]
    return replace(cell, text=text)


def split_across_pages(table: GTable, at: int, cut: Callable[[GCell], int]) -> tuple[GTable, GTable]:
    """The table as two page fragments, grid row `at` opening the second. A cell spanning the
    break is printed in both, its text cut at `cut(cell)`: the first part ends page one, the
    rest opens page two (（四）无 | 法提供)."""
    grid = table.grid()
    top: list[list[GCell]] = []
    carried: list[tuple[int, GCell]] = []
    for r, placed in enumerate(grid[:at]):
        row = []
        for c, cell in placed:
            if r + cell.rowspan > at:
                k = cut(cell)
                row.append(replace(cell, text=cell.text[:k], rowspan=at - r))
                carried.append((c, replace(cell, text=cell.text[k:], rowspan=r + cell.rowspan - at)))
            else:
                row.append(cell)
        top.append(row)
    first = sorted(carried + list(grid[at]), key=lambda pc: pc[0])
    bottom = [[cell for _, cell in first]] + [[cell for _, cell in placed] for placed in grid[at + 1 :]]
    return GTable(top, table.n_cols), GTable(bottom, table.n_cols)


def _break_row(table: GTable, rng: random.Random) -> int:
    """A grid row strictly inside a sub-group of section 3's results (not its first row)."""
    inside = []
    for r, placed in enumerate(table.grid()):
        for c, cell in placed:
            if c == 1 and cell.rowspan > 1:
                inside += [r + k for k in range(1, cell.rowspan)]
    return rng.choice(inside)


def _group_at(table: GTable, at: int) -> str:
    """The sub-group label (（四）无法提供) whose rowspan covers grid row `at`."""
    for r, placed in enumerate(table.grid()):
        for c, cell in placed:
            if c == 1 and r < at < r + cell.rowspan:
                return cell.text[:4]
    return "?"


def _cut_label(cell: GCell, rng: random.Random) -> int:
    text = cell.text
    if text.startswith("三、"):
        return len(text) if rng.random() < 0.5 else 5  # 三、本年度 | 办理结果
    m = re.match(r"^[（(][一二三四五六七八九十]+[)）]", text)
    lo = (m.end() if m else 0) + 1
    return rng.randint(lo, max(lo, len(text) - 1))


def _rl_table(table: GTable, widths: list[float], unruled_rows: set[int], size: float):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    label = ParagraphStyle("wps-cell", fontName=FONT, fontSize=size, leading=size * 1.25, wordWrap="CJK", alignment=1)
    data: list[list[object]] = [[""] * table.n_cols for _ in table.rows]
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
    ]
    for r, placed in enumerate(table.grid()):
        for c, cell in placed:
            text = cell.text.replace("\n", "")
            data[r][c] = text if cell.figure else Paragraph(html_lib.escape(text), label)
            if cell.rowspan > 1 or cell.colspan > 1:
                style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        style.append(("LINEBELOW", (0, r), (-1, r), 0.5, colors.black))
        if r not in unruled_rows:
            style.append(("INNERGRID", (0, r), (-1, r), 0.5, colors.black))
    out = Table(data, colWidths=widths)
    out.setStyle(TableStyle(style))
    return out


def _pdf_wps(report: TrueReport, rng: random.Random, feats: set[str]) -> tuple[str, bytes]:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, SimpleDocTemplate

    register_cjk_font()
    lay = wild_layout(report, rng)
    comma_numbers = rng.random() < 0.7
    if comma_numbers:
        feats.add("numbered-1、")
    body = ParagraphStyle("wps-body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24)
    title_style = ParagraphStyle("wps-title", fontName=FONT, fontSize=18, leading=26, alignment=1)
    size = rng.choice([8.0, 9.0, 10.5])
    n_title = next(i for i, b in enumerate(lay.blocks) if isinstance(b, str) and b.startswith(("本报告根据", "根据《")))
    story: list[object] = []
    section = 1
    headings = {v: k for k, v in HEADINGS.items()}
    for i, block in enumerate(lay.blocks):
        if isinstance(block, str):
            section = headings.get(block, section)
            story.append(Paragraph(html_lib.escape(block), title_style if i < n_title else body))
            continue
        table = GTable([[_wps_label(c, section, rng, comma_numbers) for c in row] for row in block.rows], block.n_cols)
        if section == 2:
            # Some rows of section 2 drawn without their inner vertical rules.
            data_rows = [
                r for r, row in enumerate(table.rows) if row and row[0].text not in ("信息内容",) and len(row) > 1
            ]
            unruled = set(rng.sample(data_rows, k=rng.randint(1, 2))) if rng.random() < 0.4 else set()
            if unruled:
                feats.add("s2-rows-unruled")
            story.append(_rl_table(table, [150, 125, 125, 123], unruled, size))
        elif section == 3:
            widths = [34, 56, 153] + [40] * 7
            at = _break_row(table, rng)
            top, bottom = split_across_pages(table, at, lambda cell: _cut_label(cell, rng))
            feats.add(f"page-break-in-{_group_at(table, at)}")
            first = _rl_table(top, widths, set(), size)
            _, height = first.wrap(523, 760)
            story += [CondPageBreak(height + 10), first, PageBreak(), _rl_table(bottom, widths, set(), size)]
        else:
            story.append(_rl_table(table, [523 / 15] * 15, set(), size))

    def page_number(canvas, doc) -> None:  # reportlab's onPage callback
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 28, f"— {doc.page} —")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=40, bottomMargin=50).build(
        story, onFirstPage=page_number, onLaterPages=page_number
    )
    return ".pdf", buf.getvalue()


def _pdftotext_wps(report: TrueReport, rng: random.Random, feats: set[str]) -> tuple[str, bytes]:
    return ".txt", pdf_layout_text(_pdf_wps(report, rng, feats)[1]).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# mixed-template: the truth's own mix, printed in one of the generator's clean forms

MIXED_FORMATS = ("html", "docx", "pdf-ruled", "text-tabs", "text-pipes")


def _mixed_print(report: TrueReport, rng: random.Random, feats: set[str]) -> tuple[str, bytes]:
    lay = wild_layout(report, rng)
    fmt = rng.choice(MIXED_FORMATS)
    feats.add(f"format-{fmt}")
    if isinstance(report, WildTruth) and report.variant:
        feats.add(report.variant)
    if _section3_template(report) != report.template:
        other = sum(v for k, v in report.values.items() if k.row_key == "other_handling")
        feats.add("other-handling-with-figures" if other else "other-handling-all-zero")
    if fmt == "html":
        return ".html", render_html(lay, damage=_NO_DAMAGE, chrome=rng.random() < 0.5).encode("utf-8")
    if fmt == "docx":
        return ".docx", render_docx(lay)
    if fmt == "pdf-ruled":
        return ".pdf", render_pdf(lay, ruled=True)
    return ".txt", render_text(lay, fmt.removeprefix("text-"), _NO_DAMAGE).encode("utf-8")


_NO_DAMAGE = Damage()  # the mix is the only difficulty of this class

# Renderers that also say which damage they applied (for breaking failures down by cause).
FeatureRenderer = Callable[[TrueReport, random.Random, set[str]], tuple[str, bytes]]
_BY_CLASS: dict[str, FeatureRenderer] = {
    "html-word": _html_word,
    "pdf-wps": _pdf_wps,
    "pdftotext-wps": _pdftotext_wps,
    "mixed-template": _mixed_print,
    "mixed-undivided-other": _mixed_print,
    "mixed-2019-late": _mixed_print,
}


def render_with_features(cls: str, report: TrueReport, rng: random.Random) -> tuple[str, bytes, frozenset[str]]:
    feats: set[str] = set()
    suffix, data = _BY_CLASS[cls](report, rng, feats)
    return suffix, data, frozenset(feats)


def _plain_renderer(cls: str) -> Renderer:
    return lambda report, rng: _BY_CLASS[cls](report, rng, set())


WILD_PRINT: dict[str, Renderer] = {cls: _plain_renderer(cls) for cls in _BY_CLASS}
CLASSES: tuple[str, ...] = ("html-word", "pdf-wps", "pdftotext-wps", "mixed-template")

"""Reports with known truth in the HTML markup government CMS pages serve (class ``html-cms``).

`tests.wild_print` renders Word's own "save as web page" export. Real pages are different: the
report's Word table is pasted into the CMS editor (TRS, UEditor) and served inside the site's
template. What real pages do (read from public archives of 平潭综合实验区's pages 2019–2025, a
Shanghai municipal page of 2019 and a Hangzhou-style page, December 2026), each drawn here at
random with its own feature name:

- ``grid-drift``: Word's grid keeps a column nobody sees: 商业企业 spans two grid columns in every
  row, 自然人 spans two in the header (no rowspan) over an empty cell, 申请人情况 spans eight;
- ``header-placeholders``: header cells drawn without rowspan: an empty ``<td></td>`` under
  自然人 and 总计, and five under section 4's review columns;
- ``split-labels``: header labels typed over two paragraphs (商业/企业, 科研/机构, 三、本年度办/理结果)
  or broken by ``<br/>`` (本年新<br/>制作数量), with trailing ``&nbsp;`` runs;
- ``nbsp-spans``: figure cells with a span of ``&nbsp;`` runs beside the figure; ``blank-nbsp``:
  zeros printed as ``&nbsp;`` (some blank cells a bare ``<td>&nbsp;</td>``);
- ``bare-td``: a figure typed straight into the ``<td>``, without paragraph or span;
- ``results-label-twice``: 三、本年度办理结果 printed again where the Word table crossed a page;
- ``s2-drift``: a section-2 header cell spanning two grid columns over figures that span
  otherwise (上一年项目数量 | 本年增/减 ×2 | 处理决定数量 over 0 ×2 | 0 | 0);
- ``charset-gb2312-declared-gbk``: the page says charset=gb2312, its bytes are GBK, and its text
  has characters GB2312 lacks (海峡·两岸, 2021–2035); ``charset-utf-8-declared-gbk``: the site's
  template says utf-8 over a GBK page;
- chrome: a TRS/avalon article page (header links, a hidden login block, commented-out markup,
  a stray ``-->`` printed as text, 全真版/文字版 tabs with a PDF viewer iframe), the article
  alone as the CMS stores it (a fragment without ``<html>``), or an ``id="zoom"`` article div.

Truth comes from `tests.wild_print` (``WildTruth``, the title wordings, the 来源： body); each
renderer records the features it applied.
"""

from __future__ import annotations

import html as html_lib
import random
from collections.abc import Callable
from dataclasses import replace

from tests.generator import HEADINGS, GCell, GTable
from tests.wild_print import (
    DRAW,
    WildTruth,
    _repeat_results_label,
    _source_of,
    wild_layout,
)
from tests.wild_print import (
    render_with_features as print_render_with_features,
)

CLASSES: tuple[str, ...] = ("html-cms",)
NB = "&nbsp;"
_TYPES = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_TWO_LINES = {"商业企业": ("商业", "企业"), "科研机构": ("科研", "机构"), "社会公益组织": ("社会公益", "组织"),
              "法律服务机构": ("法律服务", "机构"), "三、本年度办理结果": ("三、本年度办", "理结果")}  # fmt: skip
_CHARSETS = ("utf-8", "gb2312-declared-gbk", "utf-8-declared-gbk")
_GBK_ONLY = "围绕“海峡·两岸”主题和2021–2035年规划开展政策解读。"
_BR_LABELS = {"本年新制作数量": ("本年新", "制作数量"), "本年新公开数量": ("本年新", "公开数量")}


# ---------------------------------------------------------------------------------------------
# Grids as real pages draw them


def _grid_drift(table: GTable) -> GTable:
    """Section 3 on an 11-column Word grid (a 平潭 2021 page): 商业企业 spans two grid columns in
    every row, 自然人 spans two in the header without rowspan, an empty cell under it."""
    rows = [list(r) for r in table.rows]
    rows[0] = [rows[0][0], replace(rows[0][1], colspan=8)]
    natural, legal, total = rows[1]
    rows[1] = [replace(natural, rowspan=1, colspan=2), legal, total]
    rows[2] = [GCell(""), replace(rows[2][0], colspan=2), *rows[2][1:]]
    for r in range(3, len(rows)):
        figures = [i for i, c in enumerate(rows[r]) if c.figure]
        second = figures[1]
        rows[r][second] = replace(rows[r][second], colspan=2)
    return GTable(rows, table.n_cols + 1)


def _placeholders_s3(table: GTable) -> GTable:
    """Section 3's header without rowspans: empty cells under 自然人 and 总计 (a Hangzhou-style page)."""
    rows = [list(r) for r in table.rows]
    natural, legal, total = rows[1]
    rows[1] = [replace(natural, rowspan=1), legal, replace(total, rowspan=1)]
    rows[2] = [GCell(""), *rows[2], GCell("")]
    return GTable(rows, table.n_cols)


def _placeholders_s4(table: GTable) -> GTable:
    """Section 4's header without rowspans: five empty cells under the review outcomes."""
    rows = [list(r) for r in table.rows]
    rows[1] = [replace(c, rowspan=1) for c in rows[1]]
    rows[2] = [GCell("") for _ in range(5)] + rows[2]
    return GTable(rows, table.n_cols)


def _s2_drift(table: GTable, rng: random.Random) -> GTable:
    """Section 2 on a 5-column grid (a Shanghai 2019 page): three-figure headers as 1 | 2 | 1
    grid columns, their figure rows as 1 | 2 | 1 or 2 | 1 | 1; one- and two-figure rows widened."""
    rows: list[list[GCell]] = []
    header_spans: list[int] = []
    data_spans: list[int] = []
    for row in table.rows:
        if len(row) == 1:  # 第二十条第（…）项
            rows.append([replace(row[0], colspan=5)])
            continue
        label, *rest = row
        n = len(rest)
        if label.text == "信息内容":
            header_spans = {1: [4], 2: [2, 2], 3: [1, 2, 1]}[n]
            data_spans = header_spans if n != 3 else rng.choice([[1, 2, 1], [2, 1, 1]])
            spans = header_spans
        else:
            spans = data_spans
        rows.append([label] + [replace(c, colspan=s) for c, s in zip(rest, spans, strict=True)])
    return GTable(rows, 5)


# ---------------------------------------------------------------------------------------------
# Cell markup of three editors


def _cell_word(paras: list[str], width: float, align: str) -> str:
    # A Word table pasted into a TRS editor: class="p" paragraphs, a font span and an empty <o:p> span.
    return "".join(
        f'<p class="p" align="{align}" style="margin-top:1.5000pt;margin-right:0.0000pt;margin-bottom:0.0000pt;\n'
        f"margin-left:0.0000pt;text-indent:0.0000pt;word-break:break-all;\nmso-pagination:widow-orphan;text-align:{align};"
        f'line-height:21.0000pt;"><span style="font-family:仿宋_GB2312;mso-hansi-font-family:Calibri;color:rgb(51,51,51);\n'
        f'letter-spacing:0.0000pt;font-size:14.0000pt;mso-font-kerning:0.0000pt;">{p}</span><span style="font-family:Calibri;'
        "mso-fareast-font-family:宋体;mso-bidi-font-family:'Times New Roman';\nfont-size:12.0000pt;mso-font-kerning:0.0000pt;\">"
        "<o:p></o:p></span></p>"
        for p in paras
    )


def _cell_ueditor(paras: list[str], width: float, align: str) -> str:
    return "".join(
        f'<p style="text-align:{align};TEXT-JUSTIFY: inter-ideograph; LINE-HEIGHT: 22pt; MARGIN: 0pt; FONT-FAMILY: 仿宋_GB2312; '
        f'TEXT-AUTOSPACE: ideograph-numeric; FONT-SIZE: 16pt"><span style="FONT-FAMILY: 仿宋_GB2312; FONT-SIZE: 12pt">{p}</span></p>'
        for p in paras
    )


def _cell_plain(paras: list[str], width: float, align: str) -> str:
    attr = ' align="center"' if align == "center" else ""
    return "".join(f"<p{attr}>{p}</p>" for p in paras)


_EDITORS: dict[str, Callable[[list[str], float, str], str]] = {
    "word": _cell_word,
    "ueditor": _cell_ueditor,
    "plain": _cell_plain,
}


def _td_attrs(editor: str, cell: GCell, width: float) -> str:
    spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
        f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
    )
    if editor == "word":
        return (
            f' width="{int(width * 4 / 3)}" valign="center"{spans} style="width:{width:.4f}pt;padding:3.7500pt 3.7500pt 3.7500pt 3.7500pt ;'
            "border-left:none;\nmso-border-left-alt:none;border-right:1.0000pt outset windowtext;mso-border-right-alt:1.0000pt outset windowtext;\n"
            'border-top:none;mso-border-top-alt:none;border-bottom:1.0000pt outset windowtext;"'
        )
    if editor == "ueditor":
        return (
            f' style="BORDER-BOTTOM: windowtext 1pt solid; BORDER-LEFT: medium none; PADDING-LEFT: 5.4pt; WIDTH: {width}pt; '
            f'PADDING-RIGHT: 5.4pt; BORDER-TOP: medium none; BORDER-RIGHT: windowtext 1pt solid" valign="center"{spans}'
            f' width="{int(width * 4 / 3)}"'
        )
    return f'{spans} nowrap="nowrap" style="width:{int(width * 4 / 3)}px;"'


def _cell(cell: GCell, editor: str, rng: random.Random, feats: set[str], split: bool) -> str:
    text = html_lib.escape(cell.text.replace("\n", ""))
    width = cell.colspan * rng.choice([29.5, 32.3, 39.35]) if cell.figure else cell.colspan * 53.65
    align = "center" if cell.figure else rng.choice(["justify", "center"])
    if cell.figure:
        if text in ("", "0") and "blank-nbsp" in feats:
            if editor == "plain" and rng.random() < 0.5:
                return f"<td{_td_attrs(editor, cell, width)}>{NB}</td>"  # no paragraph at all
            text = NB
        if "bare-td" in feats and text != NB and rng.random() < 0.15:
            return f"<td{_td_attrs(editor, cell, width)}>{text}</td>"
        if "nbsp-spans" in feats and rng.random() < 0.2:
            # The figure and a run of spaces typed beside it, each its own span.
            run = NB * rng.randint(1, 7)
            pieces = [text, run] if rng.random() < 0.5 else [run, text]
            if editor == "word":
                inner = _cell_word(["</span><span>".join(pieces)], width, align)
            else:
                inner = _EDITORS[editor](["".join(pieces)], width, align)
            return f"<td{_td_attrs(editor, cell, width)}>{inner}</td>"
        return f"<td{_td_attrs(editor, cell, width)}>{_EDITORS[editor]([text], width, align)}</td>"
    if not text:
        return f"<td{_td_attrs(editor, cell, width)}>{_EDITORS[editor]([NB], width, align)}</td>"
    paras = [text]
    if split and text in _TWO_LINES:
        paras = [p + NB for p in _TWO_LINES[text]]
    elif split and text in _BR_LABELS:
        paras = ["<br/>".join(_BR_LABELS[text])]
    return f"<td{_td_attrs(editor, cell, width)}>{_EDITORS[editor](paras, width, align)}</td>"


def _table(table: GTable, editor: str, rng: random.Random, feats: set[str], split: bool) -> str:
    rows = "".join(
        "<tr>" + "".join(_cell(cell, editor, rng, feats, split) for cell in row) + "</tr>" for row in table.rows
    )
    if editor == "word":
        return (
            '<div align="center"><table border="1" cellspacing="0" style="border-collapse:collapse;border:none;'
            'mso-border-insideh:0.7500pt outset windowtext;mso-border-insidev:0.7500pt outset windowtext;">'
            f"<tbody>{rows}</tbody></table></div>"
        )
    return (
        f'<table align="center" border="1" cellspacing="{1 if editor == "plain" else 0}"><tbody>{rows}</tbody></table>'
    )


def _paragraph(text: str, editor: str, heading: bool) -> str:
    text = html_lib.escape(text)
    if editor == "plain":
        return f"<p>{text}</p>"
    font = "黑体" if heading else "仿宋_GB2312"
    return (
        '<p class="MsoNormal" style="margin: 0pt; text-indent: 31.4pt; padding: 0pt;">'
        f'<span style="font-family: {font}; letter-spacing: -0.3pt; font-size: 16pt;"><font face="{font}">{text}</font></span>'
        '<span style="font-family: 微软雅黑; font-size: 12pt;"><o:p></o:p></span></p>'
    )


# ---------------------------------------------------------------------------------------------
# Pages


def _trs_page(title: str, source: str, published: str, article: str) -> str:
    """A TRS/avalon article page as 平潭's site serves it, shortened."""
    return (
        '<!DOCTYPE html>\n<html ms-controller="windowRoot">\n<head>\n<meta charset="utf-8" />\n'
        f'<meta name="ArticleTitle" content="{title}"/>\n<title>{title}_政府信息公开年报</title>\n'
        '<link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">\n</head>\n<body>\n'
        '<div class="warp info_public_bg">\n<!--头部開始-->\n<div class="header menu_hov"><div class="logo"><img src="/images/site_logo.png" /></div>\n'
        '<div class="header_line clearflx" role="serve" des="头部信息"><div class="header_link_01"><a href="https://www.gov.cn/">国务院</a>'
        '<a href="#">省政府</a></div><div class="header_link_02"><!-- <a href="#">繁体版</a> --><a href="javascript:;">移动版</a></div>\n'
        '<div class="header_link_02 none_sm"><em ms-visible="!isLogin"><a id="logined" href="javascript:void(0);">登录</a></em>'
        '<em ms-visible="isLogin" style="display:none;"><a href="/uc/">你好，<font ms-text="loginInfo.showname"></font></a></em></div>'
        "<span>网站支持IPV6</span></div>\n"
        '<ul class="clearflx" role="navigation"><!--有下拉菜单的li加上parentNode--><li><a href="/">首页</a></li>'
        '<li class="parentNode"><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>\n<!--头部結束-->\n'
        '<div class="breadcrumb"><span>当前位置：</span><ul><li><a href="../../../../">首页</a></li><li><a href="../../../">政务公开</a></li>'
        '<li><a href="../">政府信息公开年报</a></li></ul></div>\n'
        f'<div class="article_title_group"><div class="article_title text_align_center">\n  {title}\n</div></div>\n'
        f'<div class="trt-row"><span class="article_source">来源：{source}</span>\n<span class="article_time bf-pass">时间：{published}</span></div>\n'
        '<div class="tabs tab_base_01"><div class="tabs_hd" ms-controller="QzbView"><ul><li><a href="javascript:;">全真版</a></li>'
        '<li><a href="javascript:;">文字版</a></li></ul><a ms-attr-href="qzbFile" class="download">文件下载</a></div>\n'
        '<div class="links_con" ms-if="havXglj"><span>相关链接：</span>\n<!-- <p ms-repeat="list"><a ms-attr-href="el.url"></a></p> --> --></div>\n'
        '<div class="pic_con" ms-visible="show==0"><iframe class="isofd" ms-attr-src="/generic/web/viewer.html?file={{qzbFile}}"></iframe></div>\n'
        '<div class="word_con" ms-visible="show==1">\n<!-- 预防无法预览 -->\n<div class="article_content article_content_01 font_family_cn">\n'
        f"{article}\n</div></div></div>\n<div>附件下载</div>\n"
        '<div class="footer">主办单位：本网 网站标识码：3590000001</div>\n</div>\n</body>\n</html>\n'
    )


def _fragment_page(title: str, published: str, article: str) -> str:
    """The article as a CMS stores it: no <html>, a centred title and the date."""
    return (
        f"<p style='text-align: center;font-weight: bold;'>{title}</p>\t"
        f"<p style='text-align: center'>发布日期：{published}</p>{article}"
    )


def _zoom_page(title: str, article: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>\n<body>\n'
        f'<div id="zoom" class="article-content">\n{article}\n</div>\n</body></html>'
    )


def _html_cms(report: WildTruth, rng: random.Random, feats: set[str]) -> tuple[str, bytes]:
    lay = wild_layout(report, rng)
    for feat, p in (("split-labels", 0.4), ("nbsp-spans", 0.4), ("blank-nbsp", 0.3), ("bare-td", 0.3)):
        if rng.random() < p:
            feats.add(feat)
    editor = rng.choice(list(_EDITORS))
    feats.add(f"editor-{editor}")
    split = "split-labels" in feats
    headings = {v: k for k, v in HEADINGS.items()}
    n_title = next(i for i, b in enumerate(lay.blocks) if isinstance(b, str) and b.startswith(("本报告根据", "根据《")))
    title = "".join(b for b in lay.blocks[:n_title] if isinstance(b, str))
    s3_grid = rng.choice(["standard", "grid-drift", "header-placeholders"])
    page = rng.choice(["trs", "fragment", "zoom"])
    feats.add(f"page-{page}")
    # A fragment declares nothing: read as undeclared, whatever its bytes.
    charset = "utf-8" if page == "fragment" else rng.choices(_CHARSETS, weights=[6, 2, 2])[0]
    if charset != "utf-8":
        feats.add(f"charset-{charset}")
    body: list[str] = []
    section = 1
    for block in lay.blocks[n_title:]:
        if isinstance(block, GTable):
            table = block
            if section == 2 and rng.random() < 0.4:
                table = _s2_drift(table, rng)
                feats.add("s2-drift")
            elif section == 3:
                if s3_grid == "grid-drift":
                    table = _grid_drift(table)
                elif s3_grid == "header-placeholders":
                    table = _placeholders_s3(table)
                if s3_grid != "standard":
                    feats.add(s3_grid)
                if rng.random() < 0.3:
                    table = _repeat_results_label(table, rng)
                    feats.add("results-label-twice")
            elif section == 4 and s3_grid == "header-placeholders":
                table = _placeholders_s4(table)
            body.append(_table(table, editor, rng, feats, split))
        else:
            section = headings.get(block, section)
            if charset != "utf-8" and block not in headings and _GBK_ONLY not in "".join(body):
                block += _GBK_ONLY  # characters of GBK that GB2312 lacks
            body.append(_paragraph(block, editor, block in headings))
    article = "\n".join(body)
    published = f"{report.year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} 16:34"
    if page == "trs":
        text = _trs_page(title, _source_of(report.agency), published, article)
    elif page == "fragment":
        text = _fragment_page(title, published[:10], article)
    else:
        text = _zoom_page(title, f"<p>{html_lib.escape(title)}</p>\n{article}")
    if charset == "utf-8":
        return ".html", text.encode("utf-8")
    declared = "gb2312" if charset == "gb2312-declared-gbk" else "utf-8"
    text = text.replace(
        '<meta charset="utf-8"', f'<meta http-equiv="Content-Type" content="text/html; charset={declared}"', 1
    )
    return ".html", text.encode("gbk")


_BY_CLASS: dict[str, Callable[[WildTruth, random.Random, set[str]], tuple[str, bytes]]] = {"html-cms": _html_cms}


def draw(cls: str, rng: random.Random) -> WildTruth:
    """The truth for a class of this module or of tests.wild_print."""
    return DRAW["html-word" if cls in _BY_CLASS else cls](rng)


def render_with_features(cls: str, report: WildTruth, rng: random.Random) -> tuple[str, bytes, frozenset[str]]:
    """Render a class of this module or of tests.wild_print, with the features applied."""
    if cls not in _BY_CLASS:
        return print_render_with_features(cls, report, rng)
    feats: set[str] = set()
    suffix, data = _BY_CLASS[cls](report, rng, feats)
    return suffix, data, frozenset(feats)

"""Reports with known truth, rendered in every published form, with the damage real files have.

The truth is the figures drawn here (consistent with C1–C4 by construction); the parser's output
is compared with it, never the reverse. One logical layout (the national template's tables, with
their rowspans and colspans) is rendered as HTML, DOCX, PDF (ruled and unruled, in Noto Sans SC
from its wheel: tests/fonts.py) and the text layouts found in the wild.
"""

from __future__ import annotations

import html as html_lib
import io
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.catalog import CellKey, cells_for, columns_for, rows_for
from models.rules import APPLICANT_COLUMNS, OUTCOME_COLUMNS
from tests.fonts import cjk_ttf

HEADINGS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}
AGENCIES = (
    "海东市生态环境局",
    "忻州市生态环境局神池分局",
    "渭南市临渭区人民政府办公室",
    "杭州市交通运输局",
    "塔城地区生态环境局乌苏市分局",
    "广东省自然资源厅",
    "楚雄州生态环境局禄丰分局",
    "北京市朝阳区市场监督管理局",
)
FORMATS = ("html", "docx", "pdf-ruled", "pdf-unruled", "text-tabs", "text-cells", "text-pipes", "text-spaces")
# Layouts that keep every cell's position: blank cells survive and the parser must be exact.
POSITIONAL = ("html", "docx", "pdf-ruled", "text-tabs", "text-cells", "text-pipes", "text-spaces", "pdf-unruled")


@dataclass
class TrueReport:
    agency: str
    year: int
    template: str
    values: dict[CellKey, float]
    # Text printed in a figure cell instead of its value (1e9, NaN, 5（件）): every renderer prints it
    # as it stands. Whoever sets it says what the cell must read as.
    printed: dict[CellKey, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Damage:
    """What real files do to a report. Each is survivable by design except `drop_blanks`, which
    loses positions the print cannot give back (flagged, not silently wrong)."""

    blank_zero: bool = False  # zeros printed as empty cells
    dash_zero: bool = False  # some zeros printed as —, / or 无
    drop_blanks: bool = False  # text extraction lost the empty cells (seed 004)
    split_labels: bool = False  # long labels broken over two lines inside their cell
    variants: bool = False  # 本年终止件数, 本年度新收到, 法律法规, half-width brackets
    fullwidth_digits: bool = False
    encoding: str = "utf-8"  # for text layouts: utf-8, utf-8-sig, gb18030, utf-16


def random_report(rng: random.Random, template: str = "2021", density: float = 0.3) -> TrueReport:
    """Figures that satisfy C1–C4 by construction; `density` is the share of non-zero results."""
    values: dict[CellKey, float] = dict.fromkeys(cells_for(template), 0.0)

    def s3(row: str, col: str) -> CellKey:
        return CellKey(3, "requests", row, col)

    result_rows = [
        r.row_key
        for r in rows_for(template, 3)
        if r.row_key not in ("new_requests", "carried_over", "total_handled", "carried_forward")
    ]
    for col in APPLICANT_COLUMNS:
        handled = 0
        for row in result_rows:
            v = rng.randint(1, 9) if rng.random() < density / 4 else 0
            values[s3(row, col)] = float(v)
            handled += v
        forward = rng.randint(0, 3) if rng.random() < density else 0
        carried = rng.randint(0, min(handled + forward, 3)) if rng.random() < density else 0
        values[s3("total_handled", col)] = float(handled)
        values[s3("carried_forward", col)] = float(forward)
        values[s3("carried_over", col)] = float(carried)
        values[s3("new_requests", col)] = float(handled + forward - carried)
    for row in {k.row_key for k in values if k.section == 3}:
        values[s3(row, "total")] = sum(values[s3(row, c)] for c in APPLICANT_COLUMNS)
    for spec in rows_for(template, 4):
        parts = [float(rng.randint(0, 3)) if rng.random() < density else 0.0 for _ in OUTCOME_COLUMNS]
        for col, v in zip(OUTCOME_COLUMNS, parts, strict=True):
            values[CellKey(4, "review_litigation", spec.row_key, col)] = v
        values[CellKey(4, "review_litigation", spec.row_key, "total")] = sum(parts)
    for key in values:
        if key.section == 2 and rng.random() < 0.5:
            if key.column_key == "change":
                values[key] = float(rng.randint(-20, 20))
            elif key.column_key == "amount_10k_yuan":
                values[key] = round(rng.uniform(0, 50), 2)
            else:
                values[key] = float(rng.randint(0, 3000))
    year = rng.choice([2021, 2022, 2023, 2024]) if template == "2021" else rng.choice([2019, 2020])
    return TrueReport(rng.choice(AGENCIES), year, template, values)


# ---------------------------------------------------------------------------------------------
# The logical layout: blocks of paragraphs and tables of spanning cells, as the template draws them.


@dataclass
class GCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    figure: bool = False  # a figure cell (may be blanked or dropped by damage)


@dataclass
class GTable:
    rows: list[list[GCell]]
    n_cols: int

    def grid(self) -> list[list[tuple[int, GCell] | None]]:
        """Per grid row, the cells that start there with their grid column."""
        covered: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.rows):
            placed = []
            c = 0
            for cell in row:
                while (r, c) in covered:
                    c += 1
                placed.append((c, cell))
                covered.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
                c += cell.colspan
            out.append(placed)
        return out


@dataclass
class Layout:
    blocks: list[str | GTable] = field(default_factory=list)


def _fmt(v: float, damage: Damage, rng: random.Random) -> str:
    if v == 0:
        if damage.blank_zero:
            return ""
        if damage.dash_zero and rng.random() < 0.3:
            return rng.choice(["—", "/", "无"])
    text = str(int(v)) if v == int(v) else f"{v:g}"
    if damage.fullwidth_digits:
        text = text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    return text


def _label(text: str, damage: Damage, rng: random.Random) -> str:
    if damage.variants:
        for a, b in (
            ("本年废止件数", "本年终止件数"),
            ("本年新收", "本年度新收到"),
            ("法律行政法规", "法律法规"),
            ("上年结转", "上年转结"),
            ("（", "("),
            ("）", ")"),
            ("“", '"'),
            ("”", '"'),
        ):
            if rng.random() < 0.7:
                text = text.replace(a, b)
    if damage.split_labels and len(text) > 6 and rng.random() < 0.5:
        cut = rng.randint(2, len(text) - 2)
        text = text[:cut] + "\n" + text[cut:]
    return text


def layout(report: TrueReport, damage: Damage = Damage(), rng: random.Random | None = None) -> Layout:
    rng = rng or random.Random(0)
    t, v = report.template, report.values

    def figure(key: CellKey) -> GCell:
        text = _fmt(v[key], damage, rng)  # drawn even when overridden: the same rng sequence either way
        return GCell(report.printed.get(key, text), figure=True)

    def lab(text: str, rowspan: int = 1, colspan: int = 1) -> GCell:
        return GCell(_label(text, damage, rng), rowspan=rowspan, colspan=colspan)

    out = Layout()
    out.blocks += [
        f"{report.agency}{report.year}年政府信息公开工作年度报告",
        f"本报告根据《中华人民共和国政府信息公开条例》编制，数据统计期限为{report.year}年1月1日至12月31日。",
        HEADINGS[1],
        f"{report.year}年，{report.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"全年收到政府信息公开申请{int(v[CellKey(3, 'requests', 'new_requests', 'total')])}件。",
        HEADINGS[2],
    ]
    rows2: list[list[GCell]] = []
    for table_key in dict.fromkeys(r.table_key for r in rows_for(t, 2)):
        cols = columns_for(t, table_key)
        specs = [r for r in rows_for(t, 2) if r.table_key == table_key]
        width = 3
        rows2.append([GCell(specs[0].group_label, colspan=width + 1)])
        spans = _spread(len(cols), width)
        rows2.append([GCell("信息内容")] + [lab(c.column_label, colspan=s) for c, s in zip(cols, spans, strict=True)])
        for spec in specs:
            rows2.append(
                [lab(spec.row_label)]
                + [
                    GCell(figure(CellKey(2, table_key, spec.row_key, c.column_key)).text, colspan=s, figure=True)
                    for c, s in zip(cols, spans, strict=True)
                ]
            )
    out.blocks.append(GTable(rows2, 4))

    out.blocks.append(HEADINGS[3])
    cols3 = columns_for(t, "requests")
    rows3: list[list[GCell]] = [
        [
            GCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            GCell("申请人情况", colspan=7),
        ],
        [GCell("自然人", rowspan=2), GCell("法人或其他组织", colspan=5), GCell("总计", rowspan=2)],
        [GCell(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    specs3 = rows_for(t, 3)
    results = [r for r in specs3 if r.group_label.startswith("三、本年度办理结果")]
    seen_groups: set[str] = set()
    for spec in specs3:
        figures = [figure(CellKey(3, "requests", spec.row_key, c.column_key)) for c in cols3]
        if not spec.group_label:
            rows3.append([lab(spec.row_label, colspan=3), *figures])
            continue
        row: list[GCell] = []
        if spec is results[0]:
            row.append(lab("三、本年度办理结果", rowspan=len(results)))
        sub = spec.group_label.split("/")
        if len(sub) == 1:
            row.append(lab(spec.row_label, colspan=2))
        else:
            if sub[1] not in seen_groups:
                seen_groups.add(sub[1])
                n = sum(1 for r in results if r.group_label == spec.group_label)
                row.append(lab(sub[1], rowspan=n))
            row.append(lab(spec.row_label))
        rows3.append(row + figures)
    out.blocks.append(GTable(rows3, 10))

    out.blocks.append(HEADINGS[4])
    rows4 = [
        [GCell("行政复议", colspan=5), GCell("行政诉讼", colspan=10)],
        [GCell(x, rowspan=2) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
        + [GCell("未经复议直接起诉", colspan=5), GCell("复议后起诉", colspan=5)],
        [GCell(x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] * 2,
        [
            figure(CellKey(4, "review_litigation", r.row_key, c.column_key))
            for r in rows_for(t, 4)
            for c in columns_for(t, "review_litigation")
        ],
    ]
    out.blocks.append(GTable(rows4, 15))
    out.blocks += [
        HEADINGS[5],
        "一是信息公开的及时性有待提高。二是政策解读形式较为单一。",
        HEADINGS[6],
        "本年度未收取信息处理费。",
        report.agency,
        f"{report.year + 1}年1月15日",
    ]
    return out


def _spread(n: int, width: int) -> list[int]:
    """Column spans for n header cells over `width` grid columns (the last takes the rest)."""
    return [1] * (n - 1) + [width - (n - 1)]


# ---------------------------------------------------------------------------------------------
# Renderers


def _flat_rows(table: GTable, damage: Damage) -> list[list[str]]:
    """Each grid row as its cells in order, a spanned position printed empty (as extraction
    leaves it), unless blanks are dropped."""
    out = []
    grid = table.grid()
    covered = {}
    for placed in grid:
        row = [""] * table.n_cols
        for c, cell in placed:
            row[c] = cell.text.replace("\n", "")
        starts = {c for c, _ in placed}
        cells = [row[c] for c in range(table.n_cols) if c in starts or not damage.drop_blanks]
        if damage.drop_blanks:
            cells = [x for x in cells if x != ""] or [""]
        out.append(cells)
    del covered
    return out


def render_text(lay: Layout, style: str, damage: Damage) -> str:
    lines: list[str] = []
    for block in lay.blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        rows = _flat_rows(block, damage)
        if style == "tabs":
            lines += ["\t".join(r) for r in rows]
        elif style == "pipes":
            lines += ["| " + " | ".join(r) + " |" for r in rows]
        elif style == "cells":
            for r in rows:
                lines += ["\t" + c for c in r] + [""]
        elif style == "spaces":
            lines += _spaced(block, damage)
        else:
            raise ValueError(style)
    return "\n".join(lines) + "\n"


def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _spaced(table: GTable, damage: Damage) -> list[str]:
    """Columns aligned with spaces, as `pdftotext -layout` prints a table: each cell centred in
    its column; empty cells are only spaces, so only the position says which column a figure is."""
    grid = table.grid()
    width = [4] * table.n_cols
    for placed in grid:
        for c, cell in placed:
            if cell.colspan == 1:
                width[c] = max(width[c], _w(cell.text.replace("\n", "")) + 2)
    starts = [sum(width[:c]) for c in range(table.n_cols)]
    lines = []
    for placed in grid:
        line = ""
        for c, cell in placed:
            text = cell.text.replace("\n", "")
            if not text:
                continue
            span = sum(width[c : c + cell.colspan])
            left = starts[c] + max(0, (span - _w(text)) // 2)
            pad = max(left - len(line), 2 if line else 0)
            line += " " * pad + text
        lines.append(line)
    return lines


def render_html(lay: Layout, damage: Damage, chrome: bool = True) -> str:
    parts = []
    for block in lay.blocks:
        if isinstance(block, str):
            parts.append(f"<p>{html_lib.escape(block)}</p>")
            continue
        rows = []
        for row in block.rows:
            tds = []
            for cell in row:
                attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                    f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
                )
                text = html_lib.escape(cell.text).replace("\n", "<br/>") or "&nbsp;"
                tds.append(f"<td{attrs}><p>{text}</p></td>")
            rows.append("<tr>" + "".join(tds) + "</tr>")
        parts.append('<table border="1" cellspacing="0">' + "".join(rows) + "</table>")
    article = "\n".join(parts)
    if not chrome:
        return f"<html><body>{article}</body></html>"
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开</title>'
        "<style>td{border:1px solid #000}</style><script>var x = '<table>';</script></head><body>"
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk">政府信息公开</a> &gt; 年度报告</div>'
        '<table width="100%"><tr><td><div class="article">' + article + "</div></td></tr></table>"
        '<div class="footer">主办单位：本机关 | 网站标识码 1234567890</div></body></html>'
    )


def docx_document(lay: Layout) -> tuple[Any, list[tuple[GCell, Any]]]:
    """The layout as a python-docx Document, with each placed cell and the w:tc element (lxml) it was
    written into, so a renderer can rewrite a cell's markup knowing what the cell holds."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    placed_cells: list[tuple[GCell, Any]] = []
    for block in lay.blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        grid = block.grid()
        table = document.add_table(rows=len(block.rows), cols=block.n_cols)
        table.style = "Table Grid"
        # The grid's cells, looked up once: table.cell(r, c) walks every cell of the table (quadratic,
        # 1.4 s a report). A placed cell's corners are never inside an earlier merge, so the cells
        # taken before any merge are the ones table.cell would find.
        cells = table._cells
        for r, placed in enumerate(grid):
            for c, cell in placed:
                target = cells[r * block.n_cols + c]
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(cells[(r + cell.rowspan - 1) * block.n_cols + c + cell.colspan - 1])
                target.text = cell.text
                for p in target.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(8)
                placed_cells.append((cell, target._tc))
    return document, placed_cells


def save_docx(document: Any) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render_docx(lay: Layout) -> bytes:
    return save_docx(docx_document(lay)[0])


FONT = "NotoSansSC"


def register_cjk_font() -> None:
    """Make the test corpus's CJK font known to reportlab (once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(cjk_ttf())))


def render_pdf(
    lay: Layout,
    ruled: bool = True,
    on_page: Callable[[Any, Any], None] | None = None,
    canvasmaker: Callable[..., Any] | None = None,
) -> bytes:
    """The layout as a landscape A4 PDF (tables ruled or not); `on_page(canvas, doc)` draws on
    every page what a print adds around the report (watermarks, running headers, page numbers),
    and `canvasmaker` (a reportlab Canvas class) may change how the text itself is drawn."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    register_cjk_font()
    text_style = ParagraphStyle("cn", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=FONT, fontSize=6, leading=7.5, wordWrap="CJK")
    story = []
    for block in lay.blocks:
        if isinstance(block, str):
            story.append(Paragraph(html_lib.escape(block), text_style))
            continue
        grid = block.grid()
        data = [[""] * block.n_cols for _ in block.rows]
        spans = []
        for r, placed in enumerate(grid):
            for c, cell in placed:
                text = html_lib.escape(cell.text).replace("\n", "<br/>")
                data[r][c] = Paragraph(text, cell_style) if len(cell.text) > 8 else cell.text.replace("\n", "")
                if cell.rowspan > 1 or cell.colspan > 1:
                    spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        widths = _pdf_widths(block.n_cols)
        table = Table(data, colWidths=widths, repeatRows=0)
        style = [("FONT", (0, 0), (-1, -1), FONT, 6), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        table.setStyle(TableStyle(style))
        story.append(table)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=30, rightMargin=30, topMargin=30, bottomMargin=30)
    pages: dict[str, Any] = {} if on_page is None else {"onFirstPage": on_page, "onLaterPages": on_page}
    if canvasmaker is not None:
        pages["canvasmaker"] = canvasmaker
    doc.build(story, **pages)
    return buf.getvalue()


def pdf_layout_text(pdf: bytes) -> str:
    """The PDF's text laid out with spaces, one character column per x position and a form feed
    after each page, as `pdftotext -layout` prints it (pdfplumber's layout mode, so poppler is not
    needed): cells of a table row end up on one line, separated by runs of spaces."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [page.extract_text(layout=True, x_density=4, y_density=13) for page in document.pages]
    # pdfplumber pads every page to its full height and width; pdftotext trims trailing spaces.
    return "".join("\n".join(line.rstrip() for line in page.splitlines()).strip("\n") + "\n\f" for page in pages)


def _pdf_widths(n_cols: int) -> list[float]:
    if n_cols == 4:
        return [160, 120, 120, 120]
    if n_cols == 10:
        return [60, 80, 170] + [45] * 7
    return [48] * n_cols


def render(report: TrueReport, fmt: str, damage: Damage = Damage(), seed: int = 0) -> tuple[str, bytes]:
    """(file suffix, bytes) of the report in one format."""
    rng = random.Random(seed)
    lay = layout(report, damage, rng)
    if fmt == "html":
        page = render_html(lay, damage, chrome=rng.random() < 0.7)
        if damage.encoding in ("gb18030", "gbk"):
            page = page.replace('<meta charset="utf-8">', f'<meta charset="{damage.encoding}">')
            return ".html", page.encode(damage.encoding)
        return ".html", page.encode("utf-8")
    if fmt == "docx":
        return ".docx", render_docx(lay)
    if fmt in ("pdf-ruled", "pdf-unruled"):
        return ".pdf", render_pdf(lay, ruled=fmt == "pdf-ruled")
    if fmt == "text-pdftotext":
        # A ruled PDF as `pdftotext -layout` prints it, as analysts often receive it.
        return ".txt", pdf_layout_text(render_pdf(lay, ruled=True)).encode(damage.encoding)
    if fmt.startswith("text-"):
        text = render_text(lay, fmt.removeprefix("text-"), damage)
        return ".txt", text.encode(damage.encoding)
    raise ValueError(fmt)


def render_tabs(report: TrueReport, *, blank_zero: bool = False, drop_blanks: bool = False) -> str:
    """Tab-separated text (as pulled out of a PDF)."""
    damage = Damage(blank_zero=blank_zero, drop_blanks=drop_blanks)
    return render_text(layout(report, damage), "tabs", damage)

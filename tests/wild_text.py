"""Text layouts that real publishers produce, with known truth (see shared/real-excerpts/).

`tests.generator` renders one clean logical layout in every file format. The layouts here are the
ones text pulled out of real web pages actually has: cells run together, one cell per line, ragged
pipes, traditional characters from mirror sites, tables whose figures were lost, files cut short.
Each is a function in `WILD_TEXT` (class name → renderer):

    renderer(report: TrueReport, rng: random.Random) -> (suffix, file bytes)

Truth contract: a renderer leaves in `report.values` exactly the cells its file prints. For most
classes that is every cell of the template; `no-figures` empties it and `cut-short` keeps only the
cells printed before the cut; `hostile-cells` leaves out the cells it prints as no figure (1e9, NaN,
(5)). A template cell not in `report.values` is *missing* from the file (or unreadable) and must be
read as NULL, never as 0. Use `render_wild` to keep the drawn report untouched.

`wild_report(rng)` draws a report the way these pages come: varied publishing bodies (township to
province), 2019–2023, both templates (the 2019 one also in some 2020–2022 reports), a few fees with
six decimals.
"""

from __future__ import annotations

import copy
import html
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from models.catalog import CellKey, cells_for, columns_for, rows_for
from tests.generator import (
    FONT,
    Damage,
    GCell,
    GTable,
    Layout,
    TrueReport,
    layout,
    random_report,
    render_html,
    render_pdf,
)
from tests.wild_docx import (
    render_docx_alt_chunk,
    render_docx_cell_text_box,
    render_docx_content_controls,
    render_docx_fields_smart_tags,
    render_docx_hidden_text,
    render_docx_layout_table,
    render_docx_placeholder_text,
    render_docx_style_hidden,
    render_docx_text_box_title,
    render_docx_tracked_changes,
)

WildRenderer = Callable[[TrueReport, random.Random], tuple[str, bytes]]

HEADINGS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}

# ---------------------------------------------------------------------------------------------
# Publishing bodies: real divisions (province, city, [counties/districts]) and the organs that
# publish at each level. Names are region + organ + suffix, as the spec asks for.

_REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("河北省", "石家庄市", ("长安区", "正定县", "藁城区", "赞皇县")),
    ("河北省", "衡水市", ("故城县", "景县", "武邑县")),
    ("湖南省", "益阳市", ("桃江县", "安化县", "赫山区")),
    ("广东省", "湛江市", ("遂溪县", "徐闻县", "霞山区")),
    ("广东省", "广州市", ("天河区", "海珠区", "番禺区")),
    ("陕西省", "榆林市", ("佳县", "米脂县", "榆阳区")),
    ("黑龙江省", "佳木斯市", ("抚远市", "桦南县", "同江市")),
    ("湖北省", "十堰市", ("郧阳区", "丹江口市", "竹山县")),
    ("江苏省", "苏州市", ("吴江区", "昆山市", "常熟市")),
    ("四川省", "成都市", ("武侯区", "双流区", "金堂县")),
    ("山东省", "临沂市", ("兰陵县", "沂水县", "罗庄区")),
    ("浙江省", "温州市", ("瑞安市", "永嘉县", "鹿城区")),
)
_TOWNS = ("太平镇", "城关镇", "新华镇", "龙泉镇", "青山镇", "松木塘镇", "北坡镇", "河西镇", "白马镇", "石门乡")
_STREETS = ("东城街道", "城南街道", "新兴街道", "西湖街道", "朝阳街道")
_COUNTY_ORGANS = ("教育局", "自然资源局", "卫生健康局", "住房和城乡建设局", "市场监督管理局", "财政局", "民政局")
_CITY_ORGANS = ("教育局", "交通运输局", "自然资源和规划局", "人力资源和社会保障局", "水利局")
_PROVINCE_ORGANS = ("公安厅", "教育厅", "自然资源厅", "交通运输厅", "生态环境厅")


@dataclass(frozen=True)
class Body:
    name: str  # the full name: the truth
    short: str  # how its own text names it in passing (松木塘镇, 县教育局, 北坡镇)
    we: str  # 我镇 / 我局 / 我厅 / 我办
    parent: str  # a neighbouring body a 来源： line or a breadcrumb names instead


def _short_region(county: str) -> str:
    """郧阳区 → 郧阳 (for 分局 names); one-character counties keep their suffix (佳县)."""
    return county[:-1] if len(county) > 2 and county[-1] in "县区市" else county


_KNOWN_BODIES: dict[str, Body] = {}  # name → Body, so a page can use the short forms of a drawn body


def random_body(rng: random.Random) -> Body:
    body = _draw_body(rng)
    _KNOWN_BODIES[body.name] = body
    return body


def _draw_body(rng: random.Random) -> Body:
    province, city, counties = rng.choice(_REGIONS)
    county = rng.choice(counties)
    county_full = county if county.endswith("市") else f"{city}{county}" if county.endswith("区") else county
    kind = rng.choice(
        ["township", "street", "county-organ", "env-branch", "province-organ", "district-office", "city-organ"]
    )
    if kind == "township":
        town = rng.choice(_TOWNS)
        return Body(f"{county}{town}人民政府", town, "我镇" if town.endswith("镇") else "我乡", f"{county}人民政府")
    if kind == "street":
        district = next((c for c in counties if c.endswith("区")), counties[0])
        street = rng.choice(_STREETS)
        return Body(f"{city}{district}{street}办事处", f"{street}办事处", "我街道", f"{city}{district}人民政府")
    if kind == "county-organ":
        organ = rng.choice(_COUNTY_ORGANS)
        return Body(f"{county_full}{organ}", f"{county[-1]}{organ}", "我局", f"{county_full}人民政府办公室")
    if kind == "env-branch":
        return Body(
            f"{city}生态环境局{_short_region(county)}分局", f"{_short_region(county)}分局", "我局", f"{city}生态环境局"
        )
    if kind == "province-organ":
        organ = rng.choice(_PROVINCE_ORGANS)
        return Body(f"{province}{organ}", f"省{organ}", "我厅", f"{province}人民政府")
    if kind == "district-office":
        district = next((c for c in counties if c.endswith("区")), counties[0])
        return Body(f"{city}{district}人民政府办公室", "区政府办公室", "我办", f"{city}{district}人民政府")
    organ = rng.choice(_CITY_ORGANS)
    return Body(f"{city}{organ}", f"市{organ}", "我局", f"{city}人民政府")


def wild_report(rng: random.Random, *, density: float = 0.3) -> TrueReport:
    """A report as these pages carry them: year 2019–2023, the template the publisher used (the
    2019 one also for some 2020–2022 reports), a varied publishing body."""
    year = rng.choice([2019, 2020, 2021, 2022, 2023])
    if year == 2019:
        template = "2019"
    elif year == 2020:
        template = "2019" if rng.random() < 0.7 else "2021"
    elif year in (2021, 2022):
        template = "2019" if rng.random() < 0.15 else "2021"
    else:
        template = "2021"
    report = random_report(rng, template=template, density=density)
    report.agency = random_body(rng).name
    report.year = year
    fee = CellKey(2, "art20_8", "administrative_fees", "amount_10k_yuan")
    if fee in report.values and rng.random() < 0.3:
        # Web pages print fees to the yuan in 万元: six decimals (190.457379, 24252.311082).
        report.values[fee] = round(rng.uniform(0, 30000), 6)
    return report


def render_wild(name: str, report: TrueReport, rng: random.Random) -> tuple[str, bytes, TrueReport]:
    """Render a copy of `report` in class `name`: (suffix, bytes, the truth of that file)."""
    truth = copy.deepcopy(report)
    suffix, data = WILD_TEXT[name](truth, rng)
    return suffix, data, truth


# ---------------------------------------------------------------------------------------------
# The tables, with each figure cell knowing its key (so a cut can tell which cells it keeps).


@dataclass
class KCell(GCell):
    key: CellKey | None = None


def _fmt(value: float, key: CellKey, rng: random.Random, units: bool) -> str:
    text = str(int(value)) if value == int(value) else f"{value:.6f}".rstrip("0").rstrip(".")
    if units and key.column_key == "procurement_amount" and value and rng.random() < 0.5:
        text += "元"  # 采购总金额 may carry its unit in the cell (251000元)
    return text


def _tables(report: TrueReport, rng: random.Random) -> dict[int, GTable]:
    """Sections 2, 3 and 4 as the template draws them (rowspans and colspans), figure cells keyed."""
    t, v = report.template, report.values

    def fig(key: CellKey, **kw: int) -> KCell:
        text = _fmt(v[key], key, rng, units=True)
        return KCell(report.printed.get(key, text), figure=True, key=key, **kw)

    rows2: list[list[GCell]] = []
    for table_key in dict.fromkeys(r.table_key for r in rows_for(t, 2)):
        cols = columns_for(t, table_key)
        specs = [r for r in rows_for(t, 2) if r.table_key == table_key]
        spans = [1] * (len(cols) - 1) + [3 - (len(cols) - 1)]
        rows2.append([KCell(specs[0].group_label, colspan=4)])
        rows2.append([KCell("信息内容")] + [KCell(c.column_label, colspan=s) for c, s in zip(cols, spans, strict=True)])
        for spec in specs:
            rows2.append(
                [KCell(spec.row_label)]
                + [
                    fig(CellKey(2, table_key, spec.row_key, c.column_key), colspan=s)
                    for c, s in zip(cols, spans, strict=True)
                ]
            )
    cols3 = columns_for(t, "requests")
    rows3: list[list[GCell]] = [
        [
            KCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            KCell("申请人情况", colspan=7),
        ],
        [KCell("自然人", rowspan=2), KCell("法人或其他组织", colspan=5), KCell("总计", rowspan=2)],
        [KCell(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    specs3 = rows_for(t, 3)
    results = [r for r in specs3 if r.group_label.startswith("三、本年度办理结果")]
    seen: set[str] = set()
    for spec in specs3:
        figures: list[GCell] = [fig(CellKey(3, "requests", spec.row_key, c.column_key)) for c in cols3]
        if not spec.group_label:
            rows3.append([KCell(spec.row_label, colspan=3), *figures])
            continue
        row: list[GCell] = []
        if spec is results[0]:
            row.append(KCell("三、本年度办理结果", rowspan=len(results)))
        sub = spec.group_label.split("/")
        if len(sub) == 1:
            row.append(KCell(spec.row_label, colspan=2))
        else:
            if sub[1] not in seen:
                seen.add(sub[1])
                row.append(KCell(sub[1], rowspan=sum(1 for r in results if r.group_label == spec.group_label)))
            row.append(KCell(spec.row_label))
        rows3.append(row + figures)
    outcomes = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    rows4: list[list[GCell]] = [
        [KCell("行政复议", colspan=5), KCell("行政诉讼", colspan=10)],
        [KCell(x, rowspan=2) for x in outcomes]
        + [KCell("未经复议直接起诉", colspan=5), KCell("复议后起诉", colspan=5)],
        [KCell(x) for x in outcomes * 2],
        [
            fig(CellKey(4, "review_litigation", r.row_key, c.column_key))
            for r in rows_for(t, 4)
            for c in columns_for(t, "review_litigation")
        ],
    ]
    return {2: GTable(rows2, 4), 3: GTable(rows3, 10), 4: GTable(rows4, 15)}


def _row_cells(table: GTable) -> list[list[KCell]]:
    """Per grid row, the cells that start in it (what a copy of the page keeps of a row)."""
    return [[cell for _, cell in placed] for placed in table.grid()]  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# A page under construction: text plus where each figure landed.


@dataclass
class _Page:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    # (start, end, keys): one span per printed figure; a run of figures printed as one string is
    # one span with all its keys (a cut inside it cannot say which of them were printed).
    spans: list[tuple[int, int, tuple[CellKey, ...]]] = field(default_factory=list)
    table_starts: dict[int, int] = field(default_factory=dict)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def fig(self, text: str, keys: tuple[CellKey, ...]) -> None:
        self.spans.append((self.length, self.length + len(text), keys))
        self.add(text)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class _Style:
    """Per-document choices shared by the parts of a page."""

    half_brackets: bool  # （一） printed (一), as most pages do
    cite_2019: bool  # the preamble cites 国办公开办函〔2019〕60号 whatever the tables use
    state_figures: bool  # the narrative states table figures (rule C7)


def _brackets(text: str, style: _Style) -> str:
    if style.half_brackets:
        return text.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")
    return text


# ---------------------------------------------------------------------------------------------
# Titles, prefaces, narrative, page chrome.


def _body_of(report: TrueReport) -> Body:
    """The Body whose full name is the report's agency: the drawn one, else short forms derived
    from the name (for reports drawn by tests.generator)."""
    name = report.agency
    if name in _KNOWN_BODIES:
        return _KNOWN_BODIES[name]
    if name.endswith("人民政府") and ("镇" in name or "乡" in name):
        town = name[: -len("人民政府")]
        for county_end in ("县", "区", "市"):
            i = town.find(county_end)
            if 0 < i < len(town) - 1:
                return Body(name, town[i + 1 :], "我镇" if town.endswith("镇") else "我乡", f"{town[: i + 1]}人民政府")
        return Body(name, town, "我镇", "县人民政府")
    if name.endswith("办事处"):
        return Body(name, "街道办事处", "我街道", "区人民政府")
    if name.endswith("分局"):
        return Body(name, name[name.index("局") + 1 :], "我局", name[: name.index("局") + 1])
    if name.endswith("厅"):
        return Body(name, "省" + name.split("省", 1)[-1], "我厅", name.split("省", 1)[0] + "省人民政府")
    if name.endswith("办公室"):
        return Body(name, "区政府办公室", "我办", name[: -len("办公室")])
    organ = name.split("市", 1)[-1].split("县", 1)[-1].split("区", 1)[-1]
    return Body(name, organ or name, "我局", "人民政府办公室")


def _title_lines(report: TrueReport, body: Body, rng: random.Random) -> list[str]:
    """The title block, in one of the ways real pages name the publisher (the full name always
    appears in it, so the truth is readable)."""
    y, a = report.year, report.agency
    doc = "政府信息公开工作年度报告"
    period = f"本报告中所列数据的统计时限自{y}年1月1日起至{y}年12月31日止。"
    parts = (
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
        "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等部分组成。"
    )
    choice = rng.randrange(7)
    if choice == 0:
        return [f"{a}{y}年{doc}"]
    if choice == 1:
        return [f"{y}年{a}{doc}"]
    if choice == 2:  # 故城县教育局 / 2020年政府信息公开工作年度报告
        return [a, f"{y}年{doc}"]
    if choice == 3:  # breadcrumb title, then the heading over two lines
        return [f"{y}年{doc}", a, f"{y}年{doc}"]
    if choice == 4:  # no title: 现向社会公布…
        return [f"根据《中华人民共和国政府信息公开条例》的有关规定，现向社会公布{y}年{a}{doc}。{parts}{period}"]
    if choice == 5:  # no title: 由…编制 (with the square-bracket citation)
        return [
            f"- 发布日期:{y + 1}-01-{rng.randint(10, 31):02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
            f"本年度报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
            f"（国办公开办函[2021]30号）有关规定，由{a}编制。全文包括：总体情况，主动公开政府信息情况，"
            f"收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进措施，"
            f"其他需要报告的事项等六部分组成。本年度报告所列数据统计期限自{y}年1月1日至{y}年12月31日。",
        ]
    return [f"特向社会公布{y}年度{a}{doc}。{parts}{period}"]


def _preface(report: TrueReport, body: Body, style: _Style, rng: random.Random) -> list[str]:
    """A paragraph after the title (not always): the short name and the citation real ones carry."""
    y = report.year
    if rng.random() < 0.5:
        return []
    cite = (
        "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
        if style.cite_2019
        else "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
    )
    return [
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）及{cite}的要求，编制《{body.short}{y}年度"
        f"政府信息公开工作年度报告》。报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
        f"如对本报告有任何疑问，请与{body.name}办公室联系（电话：0{rng.randint(310, 919)}-{rng.randint(2000000, 8999999)}）。"
    ]


def _narrative(report: TrueReport, body: Body, style: _Style, rng: random.Random) -> list[str]:
    """Section 1 prose. Figures it states are the table's own (true), as C7 expects."""
    y, v = report.year, report.values

    def s3(row: str) -> int:
        return int(v[CellKey(3, "requests", row, "total")])

    opening = rng.choice(
        [
            f"{y}年，{body.name}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "坚持以公开为常态、不公开为例外的原则，加强信息发布、解读和回应，扎实完成了本年度信息公开工作任务。",
            f"{y}年，{body.short}认真学习领会《条例》等有关法规文件精神，不断深入推行政务公开，依法依规主动公开政务信息，"
            "积极回应群众关注的问题，建立健全公开平台，政府信息公开工作取得一定成效。",
            f"{y}年以来，{body.short}政府信息公开工作在上级部门的精心指导下，按照“应公开、尽公开”的要求，扎实有序推进政务公开工作落实。",
        ]
    )
    paras = [opening]
    proactive = f"（一）主动公开情况。{y}年，{body.we}主动公开政府信息{rng.randint(10, 900)}条，通过政务新媒体发布信息{rng.randint(5, 300)}条。"
    paras.append(proactive)
    if style.state_figures and CellKey(3, "requests", "new_requests", "total") in v:
        clauses = [f"全年共收到政府信息公开申请{s3('new_requests')}件"]
        if rng.random() < 0.5:
            clauses.append(f"上年结转{s3('carried_over')}件")
        if rng.random() < 0.5:
            clauses.append(f"予以公开{s3('granted')}件")
        if rng.random() < 0.5:
            clauses.append(f"结转下年度继续办理{s3('carried_forward')}件")
        paras.append("（二）依申请公开情况。" + "，".join(clauses) + "，均依法依规按时答复。")
        review = int(v[CellKey(4, "review_litigation", "administrative_review", "total")])
        if rng.random() < 0.5:
            paras.append(
                f"（三）行政复议情况。{y}年，{body.we}因政府信息公开引起行政复议{review}件。"
                if review
                else f"（三）行政复议情况。{y}年，{body.we}未发生政府信息公开行政复议案件。"
            )
    else:
        paras.append(
            "（二）政府信息管理情况。严格按照“谁提供、谁审核、谁负责”原则，规范政府信息公开审核与发布流程，确保信息发布准确性。"
        )
    paras.append("（四）监督保障情况。成立了信息公开工作领导小组，加强对信息公开工作领导、统筹、协调。")
    return [_brackets(p, style) if style.half_brackets and rng.random() < 0.5 else p for p in paras]


_CLOSING = [
    HEADINGS[5],
    "一是信息公开的及时性有待提高，部分信息更新不够及时；二是政策解读形式较为单一。下一步将加强培训，提升公开质量。",
    HEADINGS[6],
    "本年度未收取信息处理费。无其他需要报告的事项。",
]


def _chrome_top(report: TrueReport, body: Body, rng: random.Random) -> list[str]:
    """Breadcrumbs, 来源 (naming another body), font buttons: what a page copy keeps around a report."""
    y = report.year
    lines = [
        rng.choice(
            [
                f"首页 > 政务公开 > 政府信息公开年报 > {y}年",
                "当前位置：首页>>政府信息公开>>政府信息公开年报",
                f"您当前的位置：首页 > 信息公开 > {body.parent} > 年度报告",
            ]
        )
    ]
    if rng.random() < 0.5:
        lines.append(f"{y}年政府信息公开工作年度报告")  # the breadcrumb's own title
    lines.append(
        f"来源：{rng.choice([body.parent, '原创', body.parent + '网站', '县政府办'])}    "
        f"发布时间：{y + 1}-01-{rng.randint(10, 31):02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}    浏览次数：{rng.choice(['', str(rng.randint(10, 999))])}次"
    )
    lines.append(
        rng.choice(["【字体：大 中 小】 打印 分享", "【字体:      】  打印", "【字体：大 中 小】【打印】【关闭】"])
    )
    return lines


def _chrome_bottom(rng: random.Random) -> list[str]:
    return [
        rng.choice(["附件下载：", "附件下载", "相关附件：无"]),
        rng.choice(["【关闭窗口】", "【打印本页】 【关闭窗口】", "分享到："]),
        f"主办单位：人民政府办公室    网站标识码：{rng.randint(1000000000, 9999999999)}",
    ]


# ---------------------------------------------------------------------------------------------
# Cell text as each layout prints it.

_WRAPS = {  # header cells broken over lines or by spaces, as the excerpts show them
    "本年新制作数量": ("本年新", "制作数量"),
    "本年新公开数量": ("本年新", "公开数量"),
    "商业企业": ("商业", "企业"),
    "科研机构": ("科研", "机构"),
    "社会公益组织": ("社会", "公益", "组织"),
    "法律服务机构": ("法律", "服务", "机构"),
    "对外公开总数量": ("对外公开", "总数量"),
    "上一年项目数量": ("上一年", "项目数量"),
    "（三）不予公开": ("（三）", "不予公开"),
    "（四）无法提供": ("（四）", "无法提供"),
    "（五）不予处理": ("（五）", "不予处理"),
    "（六）其他处理": ("（六）", "其他处理"),
    "三、本年度办理结果": ("三、本年度", "办理结果"),
}


def _pieces(cell: KCell, wrap: float, rng: random.Random) -> tuple[str, ...]:
    """A label cell as the lines it was printed on (only known breaks, with probability `wrap`)."""
    if not cell.figure and cell.text in _WRAPS and rng.random() < wrap:
        return _WRAPS[cell.text]
    return (cell.text,)


def _group_label(text: str, rng: random.Random, split: float) -> str:
    """第二十条第（一）项 as printed: sometimes 第二十条 第(一)项, 第二十条  第(六)项 or 第二十条(一)项."""
    if not text.startswith("第二十条"):
        return text
    r = rng.random()
    if r < split:
        return text.replace("条第", "条" + " " * rng.choice([1, 1, 2]) + "第")
    if r < split * 1.3:
        return text.replace("条第", "条")
    return text


def _stray_space(text: str, rng: random.Random, p: float) -> str:
    """A space inside a label (三、本年度办 理结果, 社会公益 组织) as web copies leave them."""
    if len(text) >= 4 and rng.random() < p:
        cut = rng.randint(2, len(text) - 2)
        return text[:cut] + " " + text[cut:]
    return text


def _label(cell: KCell, style: _Style) -> str:
    return _brackets(cell.text, style)


# ---------------------------------------------------------------------------------------------
# Body renderers: each writes sections 1–6 onto a page in its layout.


def _paragraphs(page: _Page, lines: list[str], sep: str) -> None:
    for line in lines:
        page.add(line + sep)


def _write_report(
    page: _Page,
    report: TrueReport,
    style: _Style,
    rng: random.Random,
    sep: str,
    table: Callable[[_Page, GTable, int], None],
    narrative: bool = True,
) -> None:
    """Section headings, narrative and the three tables, the tables written by `table`."""
    body = _body_of(report)
    tables = _tables(report, rng)
    _paragraphs(page, [_brackets(HEADINGS[1], style) if rng.random() < 0.2 else HEADINGS[1]], sep)
    _paragraphs(page, _narrative(report, body, style, rng) if narrative else [], sep)
    for n in (2, 3, 4):
        _paragraphs(page, [HEADINGS[n]], sep)
        page.table_starts[n] = page.length
        table(page, tables[n], n)
    _paragraphs(page, [*_CLOSING, report.agency, f"{report.year + 1}年1月{rng.randint(10, 31)}日"], sep)


def _runtogether_table(
    style: _Style, rng: random.Random, keep_figures: bool = True
) -> Callable[[_Page, GTable, int], None]:
    spaced_values = rng.random() < 0.4  # this page keeps a space between some values

    def write(page: _Page, table: GTable, section: int) -> None:
        for cells in _row_cells(table):
            labels = "".join(_stray_space(_label(c, style), rng, 0.08) if c.text else "" for c in cells if not c.figure)
            if section == 2 and labels.startswith("第二十条"):
                labels = _group_label(labels, rng, 0.2)
            figs = [c for c in cells if c.figure]
            page.add(labels)
            if figs and keep_figures:
                texts = [c.text for c in figs]
                if spaced_values and rng.random() < 0.3:
                    run = texts[0] + "".join((" " if rng.random() < 0.5 else "") + t for t in texts[1:])
                else:
                    run = "".join(texts)
                page.fig(run, tuple(c.key for c in figs if c.key))
            page.add("\n")

    return write


def _cell_blank_table(
    style: _Style, rng: random.Random, keep_figures: bool = True
) -> Callable[[_Page, GTable, int], None]:
    wrap = rng.choice([0.0, 0.7, 1.0])

    def write(page: _Page, table: GTable, section: int) -> None:
        for cells in _row_cells(table):
            for c in cells:
                if c.figure:
                    if keep_figures and c.key:
                        page.fig(c.text, (c.key,))
                        page.add("\n\n")
                    continue
                for piece in _pieces(c, wrap, rng):
                    page.add(_brackets(piece, style) + "\n\n")

    return write


def _cell_pipe_table(style: _Style, rng: random.Random) -> Callable[[_Page, GTable, int], None]:
    lose_second_line = rng.random() < 0.4  # dongli: 本年新 / 本年新 (制作数量/公开数量 lost)

    def write(page: _Page, table: GTable, section: int) -> None:
        for cells in _row_cells(table):
            if len(cells) == 1 and not cells[0].figure and cells[0].colspan == table.n_cols:
                page.add(_brackets(cells[0].text, style) + " | " + "|" * table.n_cols + "\n")  # 第二十条第(一)项 | ||||
                continue
            for i, c in enumerate(cells):
                end = " | |\n" if i == len(cells) - 1 else " |\n"
                if c.figure and c.key:
                    page.fig(c.text, (c.key,))
                else:
                    text = _pieces(c, 1.0, rng)[0] if lose_second_line and c.text.startswith("本年新") else c.text
                    page.add(_brackets(text, style))
                page.add(end)

    return write


def _pipes_table(style: _Style, rng: random.Random, keep_figures: bool = True) -> Callable[[_Page, GTable, int], None]:
    """Pipe rows: fuyuan (ragged trailing ||), sjz (markdown, numbers padded with spaces), gucheng
    (no padding, headers wrapped with spaces, a stray empty row), songmutang (markdown, trailing space)."""
    flavour = rng.choice(["ragged", "markdown-padded", "plain-wrapped", "markdown"])
    pads = [rng.randint(4, 9) for _ in range(15)]
    wrap = 0.8 if flavour == "plain-wrapped" else 0.5 if flavour == "ragged" else 0.0
    split = 0.6 if flavour == "markdown-padded" else 0.15

    def write(page: _Page, table: GTable, section: int) -> None:
        for full in _row_cells(table):
            cells = [c for c in full if keep_figures or not c.figure]
            lead = "| " if flavour.startswith("markdown") else ""
            page.add(lead)
            col = 0
            for i, c in enumerate(cells):
                if i:
                    page.add(" | ")
                if c.figure and c.key:
                    pad = " " * pads[col % 15] if flavour == "markdown-padded" and section == 2 else ""
                    page.add(pad)
                    page.fig(c.text, (c.key,))
                    col += 1
                else:
                    text = " ".join(_pieces(c, wrap, rng))
                    page.add(_group_label(_brackets(text, style), rng, split))
            empties = table.n_cols - len(cells)
            if not keep_figures and len(cells) < len(full):
                page.add(" |\n")  # figures lost: no empty cells are printed in their place (not blanks)
            elif flavour == "plain-wrapped":
                page.add(" |\n")
            elif flavour == "ragged":
                page.add(" |" + (" " + "|" * empties if empties else rng.choice(["", " "])) + "\n")
            else:
                page.add(" | " + "|" * empties + "\n")
        if flavour == "plain-wrapped" and section == 2 and rng.random() < 0.7:
            page.add("| | | |\n")  # gucheng: a stray empty row after the table

    return write


# ---------------------------------------------------------------------------------------------
# The classes.


def _style(rng: random.Random, report: TrueReport, **over: bool) -> _Style:
    return _Style(
        half_brackets=over.get("half_brackets", rng.random() < 0.7),
        cite_2019=rng.random() < (0.6 if report.template == "2019" else 0.25),
        state_figures=over.get("state_figures", rng.random() < 0.6),
    )


def _head(page: _Page, report: TrueReport, style: _Style, rng: random.Random, sep: str, chrome: bool) -> None:
    body = _body_of(report)
    if chrome:
        _paragraphs(page, _chrome_top(report, body, rng), sep)
    _paragraphs(page, _title_lines(report, body, rng) + _preface(report, body, style, rng), sep)


def _page_web_runtogether(report: TrueReport, rng: random.Random, keep_figures: bool = True) -> _Page:
    style = _style(rng, report, state_figures=keep_figures and rng.random() < 0.6)
    page = _Page()
    _head(page, report, style, rng, "\n", chrome=True)
    _write_report(page, report, style, rng, "\n", _runtogether_table(style, rng, keep_figures))
    _paragraphs(page, _chrome_bottom(rng), "\n")
    return page


def _page_cell_blank(report: TrueReport, rng: random.Random, keep_figures: bool = True) -> _Page:
    style = _style(rng, report, state_figures=keep_figures and rng.random() < 0.6)
    page = _Page()
    _head(page, report, style, rng, "\n\n", chrome=rng.random() < 0.4)
    _write_report(page, report, style, rng, "\n\n", _cell_blank_table(style, rng, keep_figures))
    return page


def _page_cell_pipe(report: TrueReport, rng: random.Random) -> _Page:
    style = _style(rng, report, half_brackets=True)
    page = _Page()
    _head(page, report, style, rng, "\n", chrome=False)
    _write_report(page, report, style, rng, "\n", _cell_pipe_table(style, rng))
    return page


def _page_pipes(report: TrueReport, rng: random.Random, keep_figures: bool = True) -> _Page:
    style = _style(rng, report, half_brackets=rng.random() < 0.85, state_figures=keep_figures and rng.random() < 0.6)
    page = _Page()
    _head(page, report, style, rng, "\n", chrome=rng.random() < 0.3)
    _write_report(page, report, style, rng, "\n", _pipes_table(style, rng, keep_figures))
    return page


_BASES: dict[str, Callable[[TrueReport, random.Random], _Page]] = {
    "web-runtogether": _page_web_runtogether,
    "cell-per-line-blank": _page_cell_blank,
    "cell-per-line-pipe": _page_cell_pipe,
    "pipes-ragged": _page_pipes,
}


def _done(page: _Page) -> tuple[str, bytes]:
    return ".txt", page.text().encode("utf-8")


def render_web_runtogether(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    return _done(_page_web_runtogether(report, rng))


def render_cell_per_line_blank(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    return _done(_page_cell_blank(report, rng))


def render_cell_per_line_pipe(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    return _done(_page_cell_pipe(report, rng))


def render_pipes_ragged(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    return _done(_page_pipes(report, rng))


@cache
def _s2t():  # type: ignore[no-untyped-def]
    import opencc  # dev dependency: only the generator needs it

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """The whole page in traditional characters, as mirror sites serve it (OpenCC s2t)."""
    return str(_s2t().convert(text))


def render_traditional(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    page = _BASES[rng.choice(list(_BASES))](report, rng)
    return ".txt", to_traditional(page.text()).encode("utf-8")


def render_no_figures(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Every figure cell lost (images, or cell text dropped by the copy): labels only. Truth: no
    cell is known, so `report.values` is emptied."""
    base = rng.choice([_page_cell_blank, _page_cell_blank, _page_pipes, _page_web_runtogether])
    page = base(report, rng, keep_figures=False)  # type: ignore[call-arg]
    report.values.clear()
    return _done(page)


def render_cut_short(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The file ends mid-table near 2,000 bytes, as the excerpts do. Truth: the cells printed
    before the cut; a cut inside a figure (or a run of figures) drops all of it."""
    page = _BASES[rng.choice(list(_BASES))](report, rng)
    text = page.text()
    lo = page.table_starts[2] + 40
    hi = len(text) - 1
    target = rng.randint(1800, 2300)
    cut = len(text.encode("utf-8")[:target].decode("utf-8", errors="ignore"))
    cut = max(lo, min(cut, hi, page.table_starts[4]))
    for start, end, _ in page.spans:
        if start < cut <= end:
            cut = start
            break
    kept = {k for start, end, keys in page.spans if end <= cut for k in keys}
    for key in list(report.values):
        if key not in kept:
            del report.values[key]
    return ".txt", text[:cut].encode("utf-8")


# What publishers print in a figure cell that is no figure the template allows; each must be read
# as unreadable (value NULL), never as 0 or another number.
HOSTILE_FORMS = ("1e9", "一百二十三", "NaN", "0x10", "(5)", "99999999999999999999", "12.5", "#VALUE!", "约5")


def _allowed_form(value: float, rng: random.Random) -> str | None:
    """A form real publishers print for this count that must still read exactly, or None."""
    if value == 0:
        return rng.choice(["—", "-", "/", "无", "0件"])
    if value != int(value):
        return None
    n = int(value)
    forms = [f"{n}件", f"{n} 件", f"{n}（件）", str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    if n >= 1000:
        forms.append(f"{n:,}")
    return rng.choice(forms)


def render_hostile_cells(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """One to three count cells print a hostile form (HOSTILE_FORMS) and a dozen others a form that
    is allowed (12件, 5（件）, full-width digits, 1,234, — for 0). Truth: the hostile cells are not
    in `report.values` (read right only as NULL: unreadable); the others keep their figures."""
    counts = [k for k in report.values if k.column_key not in ("amount_10k_yuan", "procurement_amount", "change")]
    hostile = rng.sample(counts, rng.randint(1, 3))
    for key in hostile:
        report.printed[key] = rng.choice(HOSTILE_FORMS)
    for key in rng.sample([k for k in counts if k not in hostile], 12):
        form = _allowed_form(report.values[key], rng)
        if form is not None:
            report.printed[key] = form
    base = rng.choice([_page_cell_blank, _page_pipes, _page_cell_pipe])
    out = _done(base(report, rng))
    for key in hostile:
        del report.values[key]
    return out


# ---------------------------------------------------------------------------------------------
# Classes found on real pages in December 2026 (docs/real-pages.md: "Layouts found on real pages").


def _sub_items(report: TrueReport, rng: random.Random) -> list[str]:
    """Items of 总体情况 numbered (一) or 1. whose words name a later part, as town pages print them
    (tongyu, yangling): the 2008 template's list (依申请公开…, 因政府信息公开申请提起行政复议…)."""
    y = report.year
    items = [
        ("（一）主动公开政府信息情况", f"{y}年，通过政府网站主动公开政府信息{rng.randint(5, 300)}条。"),
        ("2.依申请公开政府信息办理情况", f"{y}年度未收到政府信息公开申请。"),
        ("（三）收到和处理政府信息公开申请情况", "严格按照规定时限答复，未出现逾期答复。"),
        ("4.政府信息公开的收费及减免情况", f"{y}年，未收取任何政府信息公开费用。"),
        (
            "5.因政府信息公开申请提起行政复议、行政诉讼的情况",
            f"{y}年，未发生因政府信息公开申请提起的行政复议和行政诉讼案件。",
        ),
        ("（五）存在的主要问题", "一是公开内容不够全面，二是更新不够及时。"),
    ]
    chosen = sorted(rng.sample(range(len(items)), rng.randint(2, 4)))
    return [line for i in chosen for line in items[i]]


def _insert_after_heading_1(text: str, lines: list[str], sep: str) -> str:
    """`lines` (each followed by `sep`) right after the 总体情况 heading and its separator."""
    for heading in (HEADINGS[1], "一、总体情况"):
        at = text.find(heading)
        if at >= 0:
            cut = at + len(heading) + len(sep)
            return text[:cut] + "".join(line + sep for line in lines) + text[cut:]
    raise AssertionError("no 总体情况 heading on the page")


def render_subheading_parts(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 1's items name later parts (（一）主动公开政府信息情况, 5.因政府信息公开申请提起行政复议、
    行政诉讼的情况) before the parts' own headings. Truth: every cell, as in the base layout."""
    name = rng.choice(list(_BASES))
    page = _BASES[name](report, rng)
    sep = "\n\n" if name == "cell-per-line-blank" else "\n"
    return ".txt", _insert_after_heading_1(page.text(), _sub_items(report, rng), sep).encode("utf-8")


def render_cited_report(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title and no statistics period: the page opens with 根据…编制本报告, and section 1 says the
    publisher released last year's report (公开发布《X2022年政府信息公开工作年度报告》), as nppa does.
    The agency signs at the end; the statistics year is the narrative's. Truth: every cell."""
    name = rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])
    page = _BASES[name](report, rng)
    sep = "\n\n" if name == "cell-per-line-blank" else "\n"
    text = page.text()
    text = text[text.find(HEADINGS[1]) :]  # the title block and preface are not in the copy
    body = _body_of(report)
    opening = (
        "根据《中华人民共和国政府信息公开条例》有关规定，按照国务院办公厅政府信息与政务公开办公室要求，编制本报告。"
    )
    cited = (
        f"{report.year}年，{body.we}主动公开政府信息{rng.randint(10, 900)}条，公开发布"
        f"《{report.agency}{report.year - 1}年政府信息公开工作年度报告》。"
    )
    text = opening + sep + _insert_after_heading_1(text, [cited], sep)
    return ".txt", text.encode("utf-8")


def render_change_words(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The 2019 template's 本年增/减 printed in words, 增3 and 减4, as owen prints it (0 stays 0).
    Truth: every cell, a change signed."""
    for key, value in report.values.items():
        if key.column_key == "change" and value:
            report.printed[key] = f"增{int(value)}" if value > 0 else f"减{-int(value)}"
    base = rng.choice([_page_cell_blank, _page_pipes, _page_cell_pipe])
    return _done(base(report, rng))


def _lone_bar_table(style: _Style, rng: random.Random, opener: bool) -> Callable[[_Page, GTable, int], None]:
    """One cell per line ending in ' |', an empty cell printed as a lone '|' line. `opener`: each
    row opens with a lone '|' line too (hanyang, hukou, lueyang); else rows close with '||' (qu_tjj)."""

    def write(page: _Page, table: GTable, section: int) -> None:
        for cells in _row_cells(table):
            if opener:
                page.add("|\n")
            if len(cells) == 1 and not cells[0].figure and cells[0].colspan == table.n_cols:
                pad = "|" * (table.n_cols - 1)
                page.add(_brackets(cells[0].text, style) + (f" | {pad}\n" if opener else f" |\n{pad}\n"))
                continue
            # A row with fewer cells than the grid (spans) pads its last line: 总计 | ||||| (hanyang).
            empties = table.n_cols - len(cells)
            for i, c in enumerate(cells):
                end = f" | {'|' * empties}\n" if opener and empties and i == len(cells) - 1 else " |\n"
                if c.figure and c.key:
                    if c.text:
                        page.fig(c.text, (c.key,))
                        page.add(end)
                    else:
                        page.fig("|", (c.key,))
                        page.add("\n")
                else:
                    page.add(_brackets(c.text, style) + end)
            if not opener:
                page.add("|" * rng.randint(2, 4) + "\n")

    return write


def render_pipe_lone_bar(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Cells one per line between pipes where an empty cell (a zero printed blank) is a lone '|'
    line, with or without a lone '|' opening each row. Truth: every cell (a blank is 0)."""
    for key, value in report.values.items():
        if value == 0 and rng.random() < 0.6:
            report.printed[key] = ""
    style = _style(rng, report, half_brackets=True)
    page = _Page()
    _head(page, report, style, rng, "\n", chrome=False)
    _write_report(page, report, style, rng, "\n", _lone_bar_table(style, rng, opener=rng.random() < 0.5))
    return _done(page)


_TITLE_WORDINGS = (
    "政府信息公开年报",
    "信息公开年报",
    "政府信息公开年度工作报告",
    "政府信息公开工作的年度报告",
    "政府信息公开情况的报告",
)


def render_title_wording(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title words the report otherwise than 政府信息公开工作年度报告 (2022年湖口县卫生健康委员会信息公开
    年报, 长桥乡2019年政府信息公开年度工作报告, 宁强县自然资源局关于2021年度政府信息公开情况的报告), and
    is the only place that names the publisher: no preface, no signature. Truth: every cell."""
    name = rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])
    page = _BASES[name](report, rng)
    sep = "\n\n" if name == "cell-per-line-blank" else "\n"
    text = page.text()
    body = text[text.find(HEADINGS[1]) : text.rfind(HEADINGS[6])] + HEADINGS[6] + sep
    a, y, words = report.agency, report.year, rng.choice(_TITLE_WORDINGS)
    title = rng.choice([f"{a}{y}年{words}", f"{y}年{a}{words}", f"{a}关于{y}年度{words}"])
    # the narrative names the body by its short form only (我局, 县教育局), as most do
    body = body.replace(a, _body_of(report).we)
    return ".txt", (title + sep + body).encode("utf-8")


_NATIONAL_BODIES = ("国家新闻出版署", "国家税务总局", "国家林业和草原局", "国家卫生健康委员会", "国家知识产权局")


def render_national_body(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A national body publishes (国家新闻出版署, 国家卫生健康委员会): its name has no region.
    Truth: every cell, the body's name."""
    report.agency = rng.choice(_NATIONAL_BODIES)
    page = _BASES[rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])](report, rng)
    return _done(page)


def render_angle_citation(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the opening cites 《…关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》 (a
    title inside a title, half-width <>) and names the publisher only where it gives a contact
    (如有疑问请与X(地址:…政务服务中心…)联系), as laifeng does. Truth: every cell."""
    name = rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])
    page = _BASES[name](report, rng)
    sep = "\n\n" if name == "cell-per-line-blank" else "\n"
    text = page.text()
    a, y = report.agency, report.year
    body = text[text.find(HEADINGS[1]) : text.rfind(HEADINGS[6])] + HEADINGS[6] + sep
    body = body.replace(a, _body_of(report).we)
    place = next((r for r in (a[: a.find(k) + 1] for k in "县区市") if 1 < len(r) < len(a)), "")
    opening = (
        "根据《中华人民共和国政府信息公开条例》(国务院令第711号,以下简称《条例》)和《国务院办公厅政府信息与政务公开"
        "办公室关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》规定,编制我单位"
        f"{y}年政府信息公开工作年度报告。本年报中所列数据的统计期限从{y}年1月1日起至{y}年12月31日止。"
        f"如有疑问请与{a}(地址:{place}政务服务中心{rng.randint(101, 599)}室,联系电话:0{rng.randint(310, 919)}-"
        f"{rng.randint(2000000, 8999999)})联系。"
    )
    return ".txt", (opening + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Where real pages name their publisher when the title does not (wild3, December 2026).


def _report_body(report: TrueReport, rng: random.Random) -> tuple[str, str]:
    """The report from 一、总体情况 to the end, in a positional layout, with the publisher's full
    name replaced by how it speaks of itself (我局, 我镇): (body, paragraph separator)."""
    name = rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])
    text = _BASES[name](report, rng).text()
    sep = "\n\n" if name == "cell-per-line-blank" else "\n"
    body = text[text.find(HEADINGS[1]) : text.rfind(HEADINGS[6])] + HEADINGS[6] + sep
    return body.replace(report.agency, _body_of(report).we), sep


def _opening(body: str, sep: str, *paragraphs: str) -> str:
    """A _report_body with `paragraphs` first under its 一、总体情况."""
    return body.replace(HEADINGS[1] + sep, HEADINGS[1] + sep + "".join(p + sep for p in paragraphs), 1)


def _without_suffix(name: str) -> str:
    """A street or township as the sentence names it: 长安区东城街道 (办事处 left off), 遂溪县北坡镇."""
    return name.removesuffix("办事处").removesuffix("人民政府")


# Townships whose name several counties share: the division list cannot complete them.
_SHARED_TOWNS = ("太平镇", "城关镇", "新华镇", "龙泉镇", "青山镇", "白马镇")


def render_publish_verb(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the preface names the publisher between a verb and the year (现公布长安区砲里街道
    2022年…, 现公开钢花村街道办事处2022年…, 现将穆寨街道办事处2021年度…报告如下, 特向社会公布2023年度
    莆田市公安局城厢分局…). A street or township is named from its district, without the city.
    Truth: every cell, the name as printed (a street's 办事处, a township's 人民政府)."""
    a, y = report.agency, report.year
    city = next((c for _, c, _ in _REGIONS if a.startswith(c)), None)
    if city and "街道" in a:  # 石家庄市长安区东城街道办事处 → 长安区东城街道办事处
        a = report.agency = a[len(city) :]
    if a.endswith(("办事处", "人民政府")) and rng.random() < 0.5:
        # named alone (钢花村街道办事处): a name several districts share, which no list completes
        a = report.agency = rng.choice([rng.choice(_STREETS) + "办事处", rng.choice(_SHARED_TOWNS) + "人民政府"])
    printed = rng.choice([_without_suffix(a), a])
    body, sep = _report_body(report, rng)
    period = f"本年度报告中所列数据的统计期限自{y}年1月1日起至12月31日止。"
    preface = rng.choice(
        [
            f"根据《中华人民共和国政府信息公开条例》(以下简称《条例》)的规定,现公布{printed}{y}年政府信息公开工作年度报告,{period}",
            f"根据《中华人民共和国政府信息公开条例》(国务院令第711号)规定,现公开{printed}{y}年政府信息公开工作年度报告。{period}",
            f"根据《中华人民共和国政府信息公开条例》要求,现将{printed}{y}年度信息公开工作的总体情况、主动公开信息情况等方面的报告如下。",
            f"根据《中华人民共和国政府信息公开条例》要求,特向社会公布{y}年度{report.agency}政府信息公开工作年度报告。{period}",
        ]
    )
    return ".txt", (preface + sep + body).encode("utf-8")


def render_opening_subject(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title, no name in the preface: the first sentence of 总体情况 is the only place that names
    the publisher (2022年,国家新闻出版署坚持…; 2025年,富强乡人民政府深入贯彻…), a national body or a
    township without its county. Truth: every cell, that name."""
    report.agency = rng.choice([rng.choice(_NATIONAL_BODIES), rng.choice(_SHARED_TOWNS) + "人民政府"])
    body, sep = _report_body(report, rng)
    y = report.year
    opening = (
        f"{y}年,{report.agency}坚持以习近平新时代中国特色社会主义思想为指导,认真贯彻落实《中华人民共和国"
        "政府信息公开条例》,深入推进政府信息公开工作。"
    )
    body = _opening(body, sep, opening)
    preface = "根据《中华人民共和国政府信息公开条例》有关规定,按照国务院办公厅政府信息与政务公开办公室要求,编制本报告。"
    return ".txt", (preface + sep + body).encode("utf-8")


def render_contact_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the preface says 编制我局…报告 and names the publisher only as the contact, by its
    office (请与昌江区工信局办公室联系, 师宗县高良乡人民政府党政办公室) or followed by the address in
    brackets (请联系长春市绿园区春城街道办事处(办公地址:…)). Truth: every cell, the publisher."""
    a, y = report.agency, report.year
    body, sep = _report_body(report, rng)
    office = "党政办公室" if a.endswith("人民政府") and ("镇" in a or "乡" in a) else "办公室"
    phone = f"0{rng.randint(310, 919)}-{rng.randint(2000000, 8999999)}"
    contact = rng.choice(
        [
            f"如对本报告有任何疑问,请与{a}{office}联系(地址:{a[:3]}人民路{rng.randint(1, 99)}号;电话:{phone})。",
            f"如对本报告有任何疑问,请联系{a}(办公地址:{a[:3]}人民路{rng.randint(1, 99)}号,联系电话:{phone})。",
        ]
    )
    if office == "办公室" and a.endswith(("人民政府办公室", "办事处")):  # 办公室办公室 is not printed
        contact = f"如对本报告有任何疑问,请联系{a}(办公地址:{a[:3]}人民路{rng.randint(1, 99)}号,联系电话:{phone})。"
    preface = (
        f"根据《中华人民共和国政府信息公开条例》要求,编制{_body_of(report).we}{y}年度政府信息公开年度报告。"
        f"本年度报告中所列数据的统计期限自{y}年1月1日至{y}年12月31日止。{contact}"
    )
    return ".txt", (preface + sep + body).encode("utf-8")


def render_compiled_by_long(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: 本年度报告由X根据《条例》以及…《…年度报告格式》要求编制而成, the name opening a clause
    too long for 由X编制 (国家机关事务管理局). Truth: every cell, that name."""
    if rng.random() < 0.5:
        report.agency = rng.choice(_NATIONAL_BODIES)
    body, sep = _report_body(report, rng)
    preface = (
        f"本年度报告由{report.agency}根据《中华人民共和国政府信息公开条例》以及国务院办公厅政府信息与政务公开办公室"
        "《中华人民共和国政府信息公开工作年度报告格式》要求编制而成。全文内容包括总体情况、主动公开政府信息情况等。"
        f"本年度报告中所列数据统计期限从{report.year}年1月1日起至{report.year}年12月31日止。"
    )
    return ".txt", (preface + sep + body).encode("utf-8")


# Characters mirror sites gloss with pinyin after converting a page to traditional.
_GLOSSES = {"機": "jī", "關": "guān", "項": "xiàng", "規": "guī", "數": "shù", "務": "wù", "處": "chù", "據": "jù"}


def render_pinyin_gloss(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A traditional mirror page that also glosses some characters with pinyin (國家機(jī)關(guān)事務(wù)
    管理局, 第二十條第(五)項(xiàng), 規(guī)章), in names, labels and prose. Truth: every cell."""
    page = _BASES[rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])](report, rng)
    text = to_traditional(page.text())
    for char, gloss in _GLOSSES.items():
        text = text.replace(char, f"{char}({gloss})")
    return ".txt", text.encode("utf-8")


_TYPO_TAILS = ("政府信息公开 工作告年度报", "政府信息公开工作年报告度", "政府信息公开年度工作告报")


def render_title_typo(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title, the only place that names the publisher, has its tail's characters swapped
    (昌图县七家子镇2023年政府信息公开 工作告年度报). Truth: every cell, the title's name."""
    body, sep = _report_body(report, rng)
    title = f"{report.agency}{report.year}年{rng.choice(_TYPO_TAILS)}"
    return ".txt", (title + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 4 (wild4, December 2026): more layouts and names of real pages.


def render_one_line(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A document site serves the report with its line breaks lost: from 一、总体情况 on, prose,
    the parts' headings, the tables' rows and their figures run into one line (随县经济开发区's
    `…对外公开总数量规章555规范性文件…`), or are joined by single spaces (南京市鼓楼区…华侨路街道's
    `…办理依申请公开件2件。 二、主动公开政府信息情况`); the title block keeps its lines. Truth: every
    cell, as the run-together page's (a row's figures run together, cut by the template's rules)."""
    text = _page_web_runtogether(report, rng).text()
    start = text.find(HEADINGS[1])
    joiner = rng.choice(["", " "])
    body = joiner.join(line.strip() for line in text[start:].split("\n") if line.strip())
    return ".txt", (text[:start] + body + "\n").encode("utf-8")


def _region_of(report: TrueReport, rng: random.Random) -> tuple[str, str, str]:
    """(province, city, district or county) for a body drawn here."""
    province, city, counties = rng.choice(_REGIONS)
    return province, city, rng.choice(counties)


def render_tax_bureau(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A tax bureau publishes: its name is 国家税务总局 + the region + 税务局 (国家税务总局佛山市税务局),
    which the preface gives once, with the short form the rest of the text uses (以下简称“佛山市
    税务局”) or in 由…编制; the opening sentence names the short form (2022年,镜湖区税务局认真…).
    Truth: every cell, the full name."""
    _, city, county = _region_of(report, rng)
    region = rng.choice([city, f"{city}{county}"])
    short = rng.choice([f"{region}税务局", f"{county}税务局"]) if region != city else f"{city}税务局"
    report.agency = f"国家税务总局{region}税务局"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = rng.choice(
        [
            f"根据《中华人民共和国政府信息公开条例》(以下简称《条例》),特向社会公布{report.agency}(以下简称“{short}”,"
            f"下文类同){y}年政府信息公开工作年度报告。",
            f"本报告依据《中华人民共和国政府信息公开条例》要求,结合{report.agency}(以下简称“{short}”)政府信息公开"
            "工作有关统计数据撰写。",
            f"本年度报告根据《中华人民共和国政府信息公开条例》(国务院令第711号)要求,由{report.agency}编制。",
        ]
    )
    opening = f"{y}年,{short}以习近平新时代中国特色社会主义思想为指导,坚持以人民为中心,深入推进税收工作公开。"
    body = _opening(body, sep, opening)
    return ".txt", (preface + f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。" + sep + body).encode()


_ZONES = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "高新区")


def render_zone_names(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A development zone's bodies: its 管委会 / 管理委员会, named only in the body (no title: 2022年,
    番禺经济技术开发区管委会坚持…; 广东从化经济开发区管理委员会认真贯彻…, then 我委), or a bureau's
    branch named after the zone in the title (淄博市公安局高新区分局2022年…). Truth: every cell, that
    name."""
    _, city, county = _region_of(report, rng)
    zone = f"{rng.choice([county, county[:-1] if len(county) > 2 else county])}{rng.choice(_ZONES)}"
    y = report.year
    if rng.random() < 0.4:
        report.agency = f"{city}公安局{rng.choice(['高新区', '经开区', '高新技术产业开发区'])}分局"
        body, sep = _report_body(report, rng)
        title = f"{report.agency}{y}年政府信息公开工作年度报告"
        return ".txt", (title + sep + body).encode("utf-8")
    report.agency = f"{zone}{rng.choice(['管委会', '管理委员会'])}"
    body, sep = _report_body(report, rng)
    opening = rng.choice(
        [
            f"{y}年,{report.agency}坚持以习近平新时代中国特色社会主义思想为指导,全面落实信息公开条例。",
            f"{y}年,在区委区政府的正确领导下,{report.agency}认真贯彻执行《中华人民共和国政府信息公开条例》。",
        ]
    )
    more = f"{report.agency}始终依法依规推进依申请公开,畅通受理渠道。"
    body = _opening(body, sep, opening, more)
    return ".txt", body.encode("utf-8")


def render_township_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: a township names itself as the contact by its office (请与青阳县杜村乡办公室联系)
    and, in the body, by its short name alone (2024年,杜村乡收到依申请公开申请0条). Truth: every
    cell, the township's government with its county."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        "本年度报告根据《中华人民共和国政府信息公开条例》等要求,编制本年度报告。"
        f"本报告中所列数据的统计期限自{y}年1月1日至{y}年12月31日。"
        f"如对本报告有任何疑问,请与{county}{town}{rng.choice(['办公室', '党政办公室'])}联系,电话:0566-5592103。"
    )
    line = f"{y}年,{town}收到依申请公开申请0条,全年未发生因政府信息公开申请行政复议的情况。"
    body = _opening(body, sep, line)
    return ".txt", (preface + sep + body).encode("utf-8")


def render_party_committee(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the opening names the bodies that lead the publisher (在区委区政府和杭州市公安局党委的
    坚强领导下) and the contact names the publisher itself (请与杭州市公安局滨江区分局联系). Truth:
    every cell, the publisher."""
    _, city, county = _region_of(report, rng)
    report.agency = f"{city}公安局{_short_region(county)}分局"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中使用数据统计期限为{y}年1月1日至{y}年12月31日。"
        f"如有疑问,请与{report.agency}联系,联系电话:0571-89520677。"
    )
    line = f"{y}年,{_short_region(county)}公安分局在区委区政府和{city}公安局党委的坚强领导下,不断完善政务公开工作运行机制。"
    body = _opening(body, sep, line)
    return ".txt", (preface + sep + body).encode("utf-8")


def render_gloss_labels(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The form's explanatory notes printed inside the labels, as the 2019 Word form carried them
    (胡市镇, 随县经济开发区): 规范性文件(指各行政机关印发的有正式文号的文件), 其他对外管理服务事项(指行政许可
    以外的…), and in the headers 上一年项目数量 (指2018年事项数), 本年增/减 (指2019年增加或减少的事项数,
    减用负值表示,如-8), 处理决定数量 (指2019年办件量). Truth: every cell."""
    name = rng.choice(["cell-per-line-pipe", "pipes-ragged", "web-runtogether"])
    text = _BASES[name](report, rng).text()
    y = report.year
    end = r"(?=\s*(?:\||\n|\d))"
    for label, gloss in (
        ("规范性文件", "(指各行政机关印发的有正式文号的文件)"),
        ("其他对外管理服务事项", "(指行政许可以外的其他对外管理服务事项)"),
        ("上一年项目数量", f" (指{y - 1}年事项数)"),
        ("本年增/减", f" (指{y}年增加或减少的事项数,减用负值表示,如-8)"),
    ):
        text = re.sub(re.escape(label) + end, label + gloss, text)
    text = re.sub(r"(?<!年)处理决定数量" + end, f"处理决定数量 (指{y}年办件量)", text)
    return ".txt", text.encode("utf-8")


_ZONE_OFFICES = ("卫生健康办公室", "经济发展局", "社会事务局", "规划建设局", "财政金融局")
_LONG_ZONES = ("东湖生态旅游风景区", "临空经济示范区", "高新技术产业开发区", "国际旅游度假区")


def render_committee_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A zone's management committee publishes through one of its offices, the title naming both
    (武汉市东湖生态旅游风景区管理委员会 卫生健康办公室2023年…, the two often parted by a space): a name
    longer than an organ's stem. Truth: every cell, the city, committee and office."""
    _, city, _ = _region_of(report, rng)
    committee = f"{city}{rng.choice(_LONG_ZONES)}管理委员会"
    office = rng.choice(_ZONE_OFFICES)
    report.agency = committee + office
    body, sep = _report_body(report, rng)
    title = f"{committee}{rng.choice(['', ' '])}{office}{report.year}年政府信息公开工作年度报告"
    return ".txt", (title + sep + body).encode("utf-8")


def render_school(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A public school publishes (安徽省涡阳第三中学, 怀远二中): under the site's chrome (its name, a
    breadcrumb, a title whose place the site's name replaced, 发布时间/来源 lines) the preface names it
    whole only in the report's title it releases:
    现发布《安徽省涡阳第三中学2022年政府信息公开工作年度报告》. Truth: every cell, the school."""
    province, _, county = _region_of(report, rng)
    place = county[:-1] if len(county) > 2 else county
    school = rng.choice([f"第{rng.choice('一二三四五')}中学", "实验小学", "职业技术学校", "第二小学"])
    report.agency = f"{province}{place}{school}"
    body, sep = _report_body(report, rng)
    y = report.year
    chrome = [
        f"{place}{school[:2]}门户网站",
        "图片",
        f"您现在所在的位置: 网站首页 > 政府信息公开 > {place}{school[:2]} > 政府信息公开年报",
        f"{place}{school[:2]}门户网站:{school}{y}年政府信息公开工作年度报告",  # the site's name spammed over the place
        f"发布时间:{y + 1}-01-15 21:27 来源:{place}{school[:2]} 字体:[ ]",
    ]
    preface = (
        "根据《中华人民共和国政府信息公开条例》(国务院令第711号)规定和《国务院办公厅政府信息与政务公开办公室关于印发"
        f"<中华人民共和国政府信息公开工作年度报告格式>的通知》要求,现发布《{report.agency}{y}年政府信息公开工作年度报告》。"
    )
    body = body.replace(report.agency, "我校")
    return ".txt", (sep.join(chrome[: rng.randint(3, 5)]) + sep + preface + sep + body).encode("utf-8")


_REGIONLESS_ORGANS = (("卫生健康委员会", "卫生健康委"), ("教育局", "教育局"), ("自然资源和规划局", "自然资源和规划局"))


def render_regionless_title(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title names the organ without its region (2020年卫生健康委员会政府信息公开工作年度报告), and
    the region is in the contact line alone, in the organ's short form (请与绵阳市卫生健康委办公室联系).
    Truth: every cell, the region and the organ as the title words it."""
    _, city, _ = _region_of(report, rng)
    organ, short = rng.choice(_REGIONLESS_ORGANS)
    report.agency = f"{city}{organ}"
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{y}年{organ}政府信息公开工作年度报告"
    preface = (
        f"{y}年,我委严格按照《政府信息公开条例》的要求开展政府信息公开工作并编制本报告。本年报中所列数据的统计期限"
        f"自{y}年1月1日至12月31日,如对本报告有任何疑问,请与{city}{short}办公室联系(电话:0816-2337767)。"
    )
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 5 (wild5, December 2026): tables without their parts' headings, a province's notes in labels.


def render_headless_parts(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The tables' parts printed without their headings (二、主动公开政府信息情况, 三、…, 四、… gone;
    a mirror of 武汉市生态环境局's 2020 report prints its section-2 table straight after the preface):
    each table still opens with its own first row (第二十条第(一)项, the 勾稽关系 note, 行政复议).
    Truth: every cell."""
    name = rng.choice(["cell-per-line-blank", "cell-per-line-pipe", "pipes-ragged"])
    text = _BASES[name](report, rng).text()
    for n in (2, 3, 4):
        text = re.sub(rf"^{re.escape(HEADINGS[n])}\n+", "", text, count=1, flags=re.M)
    return ".txt", text.encode("utf-8")


# Hubei's 2020 form worded the notes in its labels without 指, and added a row of its own.
_PROVINCE_NOTES = (
    ("规章", "(设区的市、自治州人民政府应提供相关数据)"),
    ("规范性文件", "(行政机关制定发布的决定、公告、通告、意见、通知,以及标题采用规定办法细则等字样的公文)"),
)


def render_province_notes(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A province's form carries notes in the labels not worded 指… (武汉市生态环境局 2020:
    规章(设区的市、自治州人民政府应提供相关数据), 规范性文件(行政机关制定发布的决定…)) and an extra row
    after them (其他主动公开文件, not a template row); half the pages are traditional mirrors that
    convert with Taiwan's words, 文件 → 檔案 (規範性檔案). Truth: every cell."""
    name = rng.choice(["cell-per-line-pipe", "pipes-ragged"])
    text = _BASES[name](report, rng).text()
    for label, note in _PROVINCE_NOTES:
        text = re.sub(rf"(?m)^(?:\| )?(?:行政)?{label}(?=\s*\|)", lambda m, n=note: m.group() + n, text, count=1)
    if name == "pipes-ragged":  # a row on one line: the extra row follows it
        extra = "其他主动公开文件(含以本单位名义正式签发的其他主动公开文件) | 186 | 86 | 255 |"
        text = re.sub(r"(?m)^(?:\| )?(?:行政)?规范性文件\(.*$", lambda m: m.group() + "\n" + extra, text, count=1)
    if rng.random() < 0.5:
        text = to_traditional(text).replace("文件", "檔案")
    return ".txt", text.encode("utf-8")


def render_opening_clause(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title, no name in the preface: the first sentence names the publisher after a clause of
    who leads it (2021年,在县委县政府的正确领导下,大东坝镇人民政府根据…; 2024年,在区政府政务信息公开工作
    主管部门的引领下,小营街道办事处严格依照区委、区政府…的要求…), a township or street without its
    county. Truth: every cell, that name."""
    report.agency = rng.choice([rng.choice(_SHARED_TOWNS) + "人民政府", rng.choice(_STREETS) + "办事处"])
    body, sep = _report_body(report, rng)
    y = report.year
    lead = rng.choice(["县委县政府的正确领导下", "区委、区政府的坚强领导下", "区政府政务信息公开工作主管部门的引领下"])
    verb = rng.choice(
        ["严格依照区委、区政府针对政务公开工作的要求与安排", "根据省、市、县下发的关于政务公开的系列文件要求"]
    )
    opening = f"{y}年,在{lead},{report.agency}{verb},较好地完成了政务公开工作。"
    body = _opening(body, sep, opening)
    preface = "根据《中华人民共和国政府信息公开条例》有关规定编制本报告。"
    return ".txt", (preface + sep + body).encode("utf-8")


def render_compiled_by_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the preface says the report was compiled by the township's or street's own office
    (由两城镇人民政府党政办公室编制, 本报告由东亭街道综合办公室编制), named with its county. Truth: every
    cell, the township's government or the street's 办事处."""
    _, _, county = _region_of(report, rng)
    office = rng.choice(["党政办公室", "综合办公室", "党政综合办公室"])
    if rng.random() < 0.5:
        town = rng.choice(_TOWNS)
        report.agency = f"{county}{town}人民政府"
        printed = rng.choice([report.agency, f"{county}{town}"]) + office
    else:
        street = rng.choice(_STREETS)
        report.agency = f"{county}{street}办事处"
        printed = f"{county}{street}{office}"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本报告是根据《中华人民共和国政府信息公开条例》要求,由{printed}编制。本报告中所列数据的统计期限为"
        f"{y}年1月1日至{y}年12月31日。"
    )
    return ".txt", (preface + sep + body).encode("utf-8")


def render_website_name(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the preface names the publisher once in a sentence (结合来宾市卫生健康委员会政府信息公开
    工作实际) and more often as its website (在来宾市卫生健康委员会网站累计发布…, 电子版在…网站全文公开),
    a committee whose name ends 委员会. Truth: every cell, the committee."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(["卫生健康委员会", "发展和改革委员会", "民族宗教事务委员会"])
    body, sep = _report_body(report, rng)
    y = report.year
    site = f"{report.agency}网站"
    preface = (
        f"根据《中华人民共和国政府信息公开条例》相关要求,结合{report.agency}政府信息公开工作实际,现编制{y}年政府信息"
        f"公开工作年度报告。本报告的电子版在{site}(http://wjw.example.gov.cn/)全文公开。"
    )
    line = f"{y}年1—12月,我委在{site}累计发布信息{rng.randint(50, 400)}条。"
    body = _opening(body, sep, line)
    return ".txt", (preface + sep + body).encode("utf-8")


# New areas and zones that administer streets and townships and are no division of the list.
_ADMIN_ZONES = ("西咸新区", "贵安新区", "兰州新区", "苏州工业园区", "赣江新区")


def render_zone_street(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title names a street or township after the new area or zone that administers it, not its
    county (西咸新区底张街道办事处2024年度政府 / 信息公开工作年度报告, over two lines or one). Truth:
    every cell, the name as the title prints it."""
    zone = rng.choice(_ADMIN_ZONES)
    report.agency = zone + rng.choice([rng.choice(_STREETS) + "办事处", rng.choice(_TOWNS) + "人民政府"])
    body, sep = _report_body(report, rng)
    y = report.year
    title = rng.choice(
        [f"{report.agency}{y}年度政府\n信息公开工作年度报告", f"{report.agency}{y}年政府信息公开工作年度报告"]
    )
    preface = f"根据《中华人民共和国政府信息公开条例》要求编制本报告。报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


def render_region_report(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city's or county's government names its report after the region alone, in the title
    (桐乡市2023年政府信息公开工作年度报告) or in the preface (现公布辽阳市2023年政府信息公开工作年度报告),
    and speaks of itself as 全市/市政府 after that. Truth: every cell, the region's 人民政府."""
    _, city, county = _region_of(report, rng)
    region = rng.choice([city, county])
    report.agency = f"{region}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    report_title = f"{region}{y}年{rng.choice(['', '度'])}政府信息公开工作年度报告"
    if rng.random() < 0.5:
        head = report_title + sep + "根据《中华人民共和国政府信息公开条例》规定编制本报告。"
    else:
        head = f"根据《中华人民共和国政府信息公开条例》相关要求,现公布{report_title}。本报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", (head + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 6 (wild6, December 2026): where the publisher's name hides from the parts that name it.


def render_subheading_opening(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title, no name in the preface: the first line under 一、总体情况 opens with a sub-heading
    and the sentence naming the publisher follows on the same line ((一)主动公开。2024年,路南街道在…;
    (一)贯彻落实条例规定。2020年,唐村镇认真贯彻…), the township or street without its 人民政府 or
    办事处 and its county only in the contact's address; the preface points to the county's
    website (本报告可在邹城市人民政府门户网查阅). Truth: every cell, the township's 人民政府 or the
    street's 办事处 with its county."""
    _, _, county = _region_of(report, rng)
    if rng.random() < 0.5:
        place = rng.choice(_TOWNS)
        report.agency = f"{county}{place}人民政府"
        contact = place + rng.choice(["人民政府", "党政办公室"])
    else:
        place = rng.choice(_STREETS)
        report.agency = f"{county}{place}办事处"
        contact = place + rng.choice(["信息公开领导小组办公室", "党政办公室"])
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"根据《中华人民共和国政府信息公开条例》要求编制本报告。数据统计时限为{y}年1月1日至{y}年12月31日。本报告可在"
        f"{county}人民政府门户网(http://www.example.gov.cn)查阅。如对本报告有任何疑问,请与{contact}联系"
        f"(地址:{county}{place}府前路111号,电话:0537-5470001)。"
    )
    sub = rng.choice(["(一)主动公开。", "(一)贯彻落实条例规定。", "(一)主动公开情况:", "1.主动公开。"])
    verb = rng.choice(
        [
            f"在政务公开政府网站上发布主动公开政府信息共{rng.randint(20, 90)}条。",
            "认真贯彻落实《中华人民共和国政府信息公开条例》及上级政府信息公开相关规定和决策部署。",
        ]
    )
    body = _opening(body, sep, f"{sub}{y}年,{place}{verb}")
    return ".txt", (preface + sep + body).encode("utf-8")


# The division list's streets of _STREETS in districts of _REGIONS
_DISTRICT_STREETS = (("赫山区", "朝阳街道"), ("霞山区", "新兴街道"), ("双流区", "新兴街道"))


def render_district_committee(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the opening sentence names the street's 办事处 and, in the same breath, the district's
    party committee it follows (2024年,浦沿街道办事处严格按照滨江区委、区政府的工作部署要求…), which the
    body names again (在滨江区委的坚强领导下). A district's 区委 is no body that publishes. Truth: every
    cell, the 办事处 as the opening names it (a street several districts share: no county), in the district it follows
    where that district has a street of the name (霞山区's 新兴街道: the district the text names places it, wild15)."""
    district = rng.choice([c for _, _, cs in _REGIONS for c in cs if c.endswith("区")])
    report.agency = rng.choice(_STREETS) + "办事处"
    body, sep = _report_body(report, rng)
    y = report.year
    committee = district + "委"
    opening = f"{y}年,{report.agency}严格按照{committee}、区政府的工作部署要求和《条例》规定,围绕街道中心工作,深化政务公开工作。"
    again = f"全年在{committee}的坚强领导下,街道主动公开政务信息{rng.randint(50, 300)}条。"
    body = _opening(body, sep, opening, again)
    preface = f"根据《中华人民共和国政府信息公开条例》有关规定编制本报告,所列数据统计期限为{y}年1月1日至{y}年12月31日。"
    if (district, report.agency.removesuffix("办事处")) in _DISTRICT_STREETS:
        report.agency = district + report.agency
    return ".txt", (preface + sep + body).encode("utf-8")


_INFORMATIZATION = ("工业和信息化局", "经济和信息化局", "经济和信息化委员会")


def render_informatization_organ(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A bureau of industry and informatization publishes (乌海市工业和信息化局, 经济和信息化局): its
    name holds 信息, the word of 信息公开. The title prints the name on a line of its own over
    政府信息公开工作年度报告 without a year, and the first paragraph says 由…编制而成 and names its
    website. Truth: every cell, the bureau."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(_INFORMATIZATION)
    body, sep = _report_body(report, rng)
    y = report.year
    title = rng.choice([f"{report.agency}{sep}政府信息公开工作年度报告", f"{report.agency}{sep}政府信息公开年度报告"])
    preface = f"为切实做好政府信息公开工作,根据{city}{y}年政务公开工作要点,我局依法推进政府信息公开。现将我局政务公开工作报告如下。"
    first = (
        f"本年度报告根据《中华人民共和国政府信息公开条例》要求,由{report.agency}编制而成。本报告所列数据的统计期限自{y}年"
        f"1月1日起至{y}年12月31日。本年度报告电子版可以从{report.agency}门户网站(http://gxj.example.gov.cn/)下载。"
    )
    body = _opening(body, sep, first)
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


def render_index_fields(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The page's index fields come first, one per line (• 索引号, the index number, • 发布机构, the
    publisher, • 文号, • 发布日期, the date, • 时效性, 有效), pushing the title past the page's first
    lines; the preface, copied from another body's report, names that body
    (现公布建水县民族宗教事务局2025年度…, on 建水县面甸镇's page). Truth: every cell, the township
    the title names (its 人民政府)."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    fields = [
        "登录 | 注册",
        "• 乡镇政府信息公开年度报告",
        "• 索引号",
        f"jsxmdzrmzf/{y + 1}-00000",
        "• 发布机构",
        report.agency,
        "• 文号",
        "• 发布日期",
        f"{y + 1}-01-21",
        "• 时效性",
        "有效",
    ]
    other = county + rng.choice(["民族宗教事务局", "司法局", "统计局"])
    title = f"{county}{town}{y}年政府信息公开工作年度报告"
    preface = (
        "根据《中华人民共和国政府信息公开条例》要求和《中华人民共和国政府信息公开工作年度报告格式》规定,"
        f"现公布{other}{y}年度政府信息公开工作年度报告。所列数据统计时限为{y}年1月1日至{y}年12月31日:"
    )
    body = _opening(
        body, sep, f"{y}年,{town}人民政府坚持以习近平新时代中国特色社会主义思想为指导,统筹推进政府信息公开工作。"
    )
    return ".txt", ("\n".join(fields) + "\n" + title + sep + preface + sep + body).encode("utf-8")


_LEGAL_COLUMNS = (
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
)


def render_legal_persons_one_figure(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 3's rows print three figures, natural persons, the legal persons' one and the total,
    then empty cells (一、本年新收… | 7 | 1 | 8 | followed by ||||||, a traditional mirror's copy of a
    form whose 法人或其他组织 was one column): the legal persons' figure could sit under any of the
    five columns; the stored page stops after (二)部分公开, so no column's arithmetic ties the rows
    together. Truth: the cells printed before the cut, the legal persons' figures all in one column
    (drawn), which no reading of the print can tell: each such row's reading must say it is a guess."""
    column = rng.choice(_LEGAL_COLUMNS)
    for key in list(report.values):
        if key.section == 3 and key.column_key == "natural_person":
            legal = [CellKey(3, key.table_key, key.row_key, c) for c in _LEGAL_COLUMNS]
            total = sum(report.values.get(k, 0.0) for k in legal)
            for k in legal:
                report.values[k] = 0.0
            report.values[CellKey(3, key.table_key, key.row_key, column)] = total
    text = _BASES["pipes-ragged"](report, rng).text()
    lines = text.split("\n")
    part = [i for i, ln in enumerate(lines) if ln in (HEADINGS[3], HEADINGS[4])]
    for i in range(part[0], part[1]):
        cells = lines[i].rstrip(" |").split(" | ")
        if len(cells) >= 8 and all(c.strip().isdigit() for c in cells[-7:]):
            figures = [int(c) for c in cells[-7:]]
            kept = [figures[0], sum(figures[1:6]), figures[6]]
            lines[i] = " | ".join([*cells[:-7], *map(str, kept)]) + " |" + " |" * 4
    end = next(i for i in range(part[0], part[1]) if "部分公开" in lines[i])
    printed = ("new_requests", "carried_over", "granted", "partially_granted")
    for key in list(report.values):
        if key.section == 4 or (key.section == 3 and key.row_key not in printed):
            del report.values[key]
    return ".txt", "\n".join(lines[: end + 1]).encode("utf-8")


def render_cut_in_label_number(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The stored page stops right after the number of section 3's next sub-row label: one cell per
    line, 1.属于国家秘密 and its seven figures, then a lone 2 (of 2.其他法律行政法规禁止公开), as a
    page cut at about 2,000 characters ends. Truth: the cells printed before the cut (1.属于国家秘密's
    row the last)."""
    text = _BASES["cell-per-line-blank"](report, rng).text()
    at = re.search(r"(?m)^2[.、]其他法律行政法规禁止公开", text)
    assert at is not None
    kept = ("new_requests", "carried_over", "granted", "partially_granted", "denied_state_secret")
    for key in list(report.values):
        if key.section == 4 or (key.section == 3 and key.row_key not in kept):
            del report.values[key]
    return ".txt", (text[: at.start()] + "2" + rng.choice(["", "\n"])).encode("utf-8")


_SHORT_FORMS = (("教育体育局", "教体局"), ("卫生健康局", "卫健局"), ("市场监督管理局", "市场监管局"))


def render_name_before_verb(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title: the preface names the publisher before the verb that releases the report, whose
    title in 《》 carries the year alone (岐山县教育体育局现向社会公开《2023年政府信息公开工作年度报告》),
    and the contact line names it once more in its short form (请联系岐山县教体局). Truth: every
    cell, the full name."""
    _, _, county = _region_of(report, rng)
    organ, short = rng.choice(_SHORT_FORMS)
    report.agency = county + organ
    body, sep = _report_body(report, rng)
    y = report.year
    verb = rng.choice(["现向社会公开", "现向社会公布", "现公布"])
    preface = (
        f"根据《中华人民共和国政府信息公开条例》要求,{report.agency}{verb}《{y}年政府信息公开工作年度报告》。本报告数据统计"
        f"时限为{y}年1月1日至12月31日。{sep}如对本报告有异议,请联系{county}{short}(电话:0917-8212435)。"
    )
    return ".txt", (preface + sep + body).encode("utf-8")


_MINISTRIES = ("交通运输部", "财政部", "农业农村部", "住房和城乡建设部", "应急管理部", "生态环境部")


def render_ministry(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A ministry of the State Council publishes under its name alone, without a region or 国家
    (交通运输部, 财政部): in the title (交通运输部2019年政府信息公开工作年度报告) or, with no title, in the
    preface's 交通运输部编制了本级行政机关2019年政府信息公开工作年度报告 and a contact line. Truth: every
    cell, the ministry."""
    report.agency = rng.choice(_MINISTRIES)
    body, sep = _report_body(report, rng)
    y = report.year
    contact = f"如对本报告有疑问,请与{report.agency}政府信息公开办公室联系(地址:北京市东城区;邮政编码:100736)。"
    if rng.random() < 0.5:
        head = f"{report.agency}{y}年政府信息公开工作年度报告{sep}{contact}"
    else:
        head = (
            f"按照《中华人民共和国政府信息公开条例》(以下简称《条例》),{report.agency}编制了本级行政机关{y}年政府信息公开"
            f"工作年度报告。{contact}"
        )
    return ".txt", (head + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 7 (wild7, December 2026): a site's column name over the title, a cut at a table's end.


def render_column_over_title(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The site's column, named after the street or township alone (正阳街道), is a line of its own
    over the title, and the title is printed again over two lines (正阳街道办事处 /
    2023年政府信息公开工作年度报告), as a new area's street page prints it. The column's name and the
    title's are one name twice, not a longer one. Truth: every cell, the title's name (its county
    unnamed: these names are shared)."""
    place = rng.choice([*_SHARED_TOWNS, *_STREETS])
    report.agency = place + ("办事处" if place.endswith("街道") else "人民政府")
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{y}年政府信息公开工作年度报告"
    head = sep.join([place, report.agency + title, report.agency, title])
    preface = f"本年度报告根据《中华人民共和国政府信息公开条例》要求编制。本年度报告中各项数据的统计期限自{y}年1月1日起至12月31日止。"
    return ".txt", (head + sep + preface + sep + body).encode("utf-8")


def render_cut_after_table(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The stored page stops a few characters after section 2's table, inside the sentence that
    follows it (团结乡 2020: 政府集中采购, 0, 0, then 20 of 2020年…): one cell per line, the last row
    whole, then a lone fragment of a figure. Truth: section 2's cells (sections 3 and 4 cut away)."""
    text = _BASES["cell-per-line-blank"](report, rng).text()
    at = text.index(HEADINGS[3])
    for key in list(report.values):
        if key.section in (3, 4):
            del report.values[key]
    fragment = str(report.year)[: rng.choice([1, 2, 3])]
    return ".txt", (text[:at] + fragment + rng.choice(["", "\n"])).encode("utf-8")


# Zones named after a place that is no division of the list (桃园, 甘眉, 空港): no region to add.
_PLACE_ZONES = ("桃园开发区", "甘眉工业园区", "浐灞生态区", "空港经济区")


def render_regionless_zone(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title names a zone's committee after its own place alone (桃园开发区管委会2023年信息公开
    工作年度报告), and the text names no division that would complete it (the site's name, 西安•莲湖,
    is no division's whole name). Truth: every cell, the committee as the title names it."""
    report.agency = rng.choice(_PLACE_ZONES) + rng.choice(["管委会", "管理委员会"])
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{y}年{rng.choice(['', '政府'])}信息公开工作年度报告"
    preface = (
        f"根据《中华人民共和国政府信息公开条例》,特向社会公布{y}年度{report.agency}信息公开年度报告。本报告数据统计时限为"
        f"{y}年1月1日至{y}年12月31日。如对本报告有任何疑问,请与{report.agency}联系(电话:88499114)。"
    )
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 8 (wild8, December 2026): a street office by its short form 街道办.

# Streets of several counties whose name starts with a region's (东城区, 东湖区, 中山市, 上海市).
_REGION_STREETS = ("东城街道", "东湖街道", "东山街道", "东风街道", "中山路街道", "上海路街道")


def render_street_short_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A street office names itself by its short form, 街道办 (北京街道办, 东城街道办), in the title
    or, with no title, in the body (北京街道办全年主动公开政府信息86条), and the street's name starts
    with a region's (东城 of 东城区): the short form is the street's office, not the region's organ 街道办.
    Truth: every cell, the office's whole name (its county unnamed: these streets are shared)."""
    street = rng.choice(_REGION_STREETS)
    report.agency = street + "办事处"
    body, sep = _report_body(report, rng)
    y = report.year
    short = street + "办"
    said = f"{y}年,{short}认真贯彻落实《中华人民共和国政府信息公开条例》。{short}全年主动公开政府信息86条。"
    head = f"{short}{y}年政府信息公开工作年度报告{sep}{said}" if rng.random() < 0.5 else said
    return ".txt", (head + sep + body).encode("utf-8")


# A zone's committee and its second name, the two printed together (one body, two names): the
# committee's full name, its short form, the second name (which starts with another region's).
_TWO_NAME_ZONES = (
    ("武昌经济开发区管委会", "武昌经开区管委会", "滨江商务区管委会"),
    ("江夏经济开发区管委会", "江夏经开区管委会", "滨江商务区管委会"),
    ("青山经济开发区管委会", "青山经开区管委会", "东西湖经开区管委会"),
)


def render_bracketed_second_name(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A zone's committee that is also another committee prints its second name in brackets after
    its own, each time (武昌经开区管委会(滨江商务区管委会), under a title naming no one, then in the
    opening sentence with the full name, 武昌经济开发区管委会(滨江商务区管委会)): the bracketed name is the
    same body's, counted as no rival. Truth: every cell, the opening sentence's full name."""
    full, short, second = rng.choice(_TWO_NAME_ZONES)
    report.agency = full
    body, sep = _report_body(report, rng)
    y = report.year
    head = sep.join(
        [
            "政府信息公开工作年度报告",
            f"{short}({second})",
            f"{y + 1}年1月8日",
            f"{y}年,{full}({second})深入贯彻落实《中华人民共和国政府信息公开条例》。",
        ]
    )
    return ".txt", (head + sep + body).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 9 (wild9, December 2026): customs houses, a region printed twice, a name and its short
# form, a banner's short form.

# Customs houses directly under 海关总署, named after their city (重庆海关, 湛江海关).
_CUSTOMS = ("重庆海关", "湛江海关", "南京海关", "青岛海关", "昆明海关", "南宁海关", "宁波海关", "成都海关")


def render_customs_district(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A customs house reports for its district (关区): the title, if any, names 重庆海关关区
    (重庆海关关区2020年政府信息公开年报), the preface 梳理编制湛江海关关区2023年政府信息公开工作年度报告 or
    本年报由重庆海关根据…编制, and the contact its office (请联系湛江海关办公室). Truth: every cell, the
    customs house (X海关)."""
    customs = rng.choice(_CUSTOMS)
    report.agency = customs
    body, sep = _report_body(report, rng)
    y = report.year
    contact = f"如对本年度报告有任何疑问,请联系{customs}办公室(电话:023-12360)。"
    preface = rng.choice(
        [
            f"根据《中华人民共和国政府信息公开条例》等规定,梳理编制{customs}关区{y}年政府信息公开工作年度报告。"
            f"本年度报告中所列数据的统计期限,自{y}年1月1日起至{y}年12月31日止。{contact}",
            f"本年报由{customs}根据《中华人民共和国政府信息公开条例》编制。年报中所列数据的统计期限自{y}年1月1日起"
            f"至{y}年12月31日止。{contact}",
        ]
    )
    if rng.random() < 0.5:
        title = f"{customs}关区{y}年政府信息公开{rng.choice(['年报', '工作年度报告'])}"
        preface = title + sep + preface
    return ".txt", (preface + sep + body).encode("utf-8")


def render_doubled_region(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title, preface or opening sentence names the publisher; a sentence of 总体情况 does, with its
    county printed twice (…指导下,渠县渠县行政审批局政务公开工作紧紧围绕…). Truth: every cell, the name
    printed once (渠县行政审批局)."""
    _, _, county = _region_of(report, rng)
    report.agency = county + rng.choice(_COUNTY_ORGANS)
    body, sep = _report_body(report, rng)
    doubled = county + report.agency
    said = (
        f"今年以来,在县委、县政府的正确领导下,{doubled}政务公开工作紧紧围绕全面推进政务公开工作的决策部署,"
        "以公开促落实,以公开促规范,以公开促服务。"
    )
    return ".txt", _opening(body, sep, said).encode("utf-8")


def render_short_form_rival(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title or preface names the publisher; 总体情况 names it once in full (由西宁市城中区生态环境局
    编写了…) and once without its city (城中区生态环境局信息公开工作依托三种渠道开展), and may name the
    district's government's column too: one body twice, not two rivals. Truth: every cell, the full
    name."""
    # a district or county the city's name is printed before (a county-level city's bureau is named
    # without it: 抚远市水利局)
    _, city, counties = rng.choice([r for r in _REGIONS if any(c.endswith(("区", "县")) for c in r[2])])
    district = rng.choice([c for c in counties if c.endswith(("区", "县"))])
    organ = rng.choice(_CITY_ORGANS)
    report.agency = f"{city}{district}{organ}"
    body, sep = _report_body(report, rng)
    y = report.year
    said = [
        f"本年报是根据《中华人民共和国政府信息公开条例》规定,由{report.agency}编写了{y}年度政府信息公开工作年度报告。",
        f"{district}{organ}信息公开工作依托三种渠道开展。"
        + (f"一是在{city}{district}人民政府政务信息专栏进行电子化公开。" if rng.random() < 0.5 else ""),
    ]
    return ".txt", _opening(body, sep, *said).encode("utf-8")


# Inner Mongolia's banners as their own bodies name them: 西乌旗 for 西乌珠穆沁旗, 科右中旗 for
# 科尔沁右翼中旗, 察右前旗 for 察哈尔右翼前旗, 土左旗 for 土默特左旗, 阿左旗 for 阿拉善左旗.
_BANNER_SHORT = ("西乌旗", "东乌旗", "科右中旗", "察右前旗", "土左旗", "阿左旗", "鄂前旗", "苏左旗")


def render_banner_short_form(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title names a banner's bureau by the banner's short form (西乌旗自然资源局2020年政府信息公开
    工作年度报告) and the text names no division in full. Truth: every cell, the title's name."""
    report.agency = rng.choice(_BANNER_SHORT) + rng.choice(_COUNTY_ORGANS)
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{y}年政府信息公开工作年度报告"
    preface = f"根据《中华人民共和国政府信息公开条例》要求,现发布《{title}》。"
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


def render_money_wan(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Money printed with 万 for its unit (政府集中采购 1 | 140万, as 辽宁's 药监局 prints it; 收费金额
    5125.11万): in a money column 万 is 万元. Truth: every cell, the figure before 万."""
    for key, value in report.values.items():
        if key.column_key in ("procurement_amount", "amount_10k_yuan") and value:
            report.printed[key] = _fmt(value, key, rng, units=False) + "万"
    base = rng.choice([_page_cell_blank, _page_pipes, _page_cell_pipe])
    return _done(base(report, rng))


# Townships whose name's tail reads as another division's short form and 人民政府 (清镇 of 永清镇: 清镇市;
# 宁乡 of 长宁乡: 宁乡市), none of them completed by the division list.
_INNER_RIVAL_TOWNS = ("永清镇", "大清镇", "长宁乡", "东宁乡", "保宁乡", "归宁乡")


def render_inner_name_rival(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title or preface names the publisher; the opening sentence names a township whose name ends
    with another division's government (2025年,永清镇人民政府严格遵循…: 清镇人民政府 is read inside it),
    and the page says 我镇 after that. Truth: every cell, the opening sentence's name."""
    town = rng.choice(_INNER_RIVAL_TOWNS)
    report.agency = town + "人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    opening = f"{y}年,{report.agency}严格遵循国家、省、市、县关于政务公开工作的各项决策部署,持续深化政府信息公开。"
    preface = "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制本报告。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Left open by rounds 4–8 (wildleft, December 2026): publishers that are no government organ, a
# school by its short name, bodies named after a place of their own outside the title.

_COMPANIES = ("水务集团有限公司", "城市建设投资集团有限公司", "公共交通集团有限公司", "自来水有限公司")
_UNIVERSITIES = ("工商大学", "理工大学", "师范大学")
_INSTITUTES = ("物理研究所", "化学研究所", "植物研究所", "力学研究所")


def render_non_organ_publisher(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The publisher is no government organ: a state company named only in the opening sentence
    (2024年,桐乡市水务集团有限公司严格贯彻落实…), a university whose name is a line of its own over a
    title without it (重庆工商大学 / 2023年度信息公开工作报告), an institute of the Chinese Academy of
    Sciences (中国科学院物理研究所2022年度信息公开工作报告: the country is its region) or a hospital
    (由淮北市人民医院编制, or only its office as the contact: 可与太和县中医院行政办公室联系). Truth: every
    cell, the name as printed."""
    _, city, county = _region_of(report, rng)
    kind = rng.choice(["company", "university", "institute", "hospital"])
    y = report.year
    if kind == "company":
        report.agency = rng.choice([city, county]) + rng.choice(_COMPANIES)
    elif kind == "university":
        report.agency = city.removesuffix("市") + rng.choice(_UNIVERSITIES)
    elif kind == "institute":
        report.agency = "中国科学院" + rng.choice(_INSTITUTES)
    else:
        report.agency = city + rng.choice(["人民医院", "中医院", "第一人民医院"])
    body, sep = _report_body(report, rng)
    period = f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    if kind == "company":
        head = "根据《中华人民共和国政府信息公开条例》要求,编制本报告。" + period + sep
        body = _opening(
            body, sep, f"{y}年,{report.agency}严格贯彻落实《中华人民共和国政府信息公开条例》,高度重视政务公开。"
        )
    elif kind == "university":
        head = (
            sep.join(
                [
                    report.agency,
                    f"{y}年度信息公开工作报告",
                    "按照《中华人民共和国政府信息公开条例》规定编制本报告。" + period,
                ]
            )
            + sep
        )
    elif kind == "institute":
        head = (
            f"{report.agency}{y}年度信息公开工作报告{sep}{y}年,{report.agency}根据《中华人民共和国政府信息公开条例》"
            f"和《中国科学院信息公开工作管理办法》等有关规定,加强信息公开工作。{sep}"
        )
    elif rng.random() < 0.5:
        head = f"本报告根据《中华人民共和国政府信息公开条例》要求,由{report.agency}编制。{period}{sep}"
    else:  # named only as the contact, by its office (太和县中医院行政办公室)
        head = f"{y}年,我院高度重视政府信息公开工作。如对本报告有任何疑问,可与{report.agency}行政办公室联系。{sep}"
    return ".txt", (head + body).encode("utf-8")


def render_school_short_name(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A public school named only by its short form, its county's short name and its number
    (怀远二中: 怀远县第二中学), in the title and as the body that compiled the report (由怀远二中编制),
    its contact 怀远二中政府信息公开办公室. Truth: every cell, the short name as printed (the full one is
    not printed, and 二中 could be a 第二中学 or a 第二初级中学)."""
    _, _, county = _region_of(report, rng)
    place = county[:-1] if len(county) > 2 else county
    report.agency = place + rng.choice("一二三四五六七八") + rng.choice(["中", "小"])
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{y}年政府信息公开工作年度报告"
    preface = (
        f"本报告是根据《中华人民共和国政府信息公开条例》要求,由{report.agency}编制。报告中所列数据的统计期限自{y}年1月1日"
        f"起至{y}年12月31日止。如有疑问,请与{report.agency}政府信息公开办公室联系。"
    )
    return ".txt", sep.join([title, title, preface, body]).encode("utf-8")


# Bodies named after a place of their own, no division of the list: zones' committees and
# management areas (甘眉工业园区管委会, 城东管理区, 熊口管理区).
_PLACE_BODIES = (
    "甘眉工业园区管委会",
    "桃园开发区管委会",
    "空港经济区管理委员会",
    "城东管理区",
    "熊口管理区",
    "白泥湖管理区",
)


def render_regionless_body_opening(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A body named after a place of its own, with no region printed anywhere, names itself only in
    the opening sentence (2023年,甘眉工业园区管委会严格按照《条例》…; 2025年,熊口管理区在市委、市政府的正确
    领导下…) or only in the page's index table (| 名称 | 城东管理区2025年政府信息公开工作年度报告 |, 所属机构
    城东管理区). Truth: every cell, the name as printed (said to be probable: no region)."""
    report.agency = rng.choice(_PLACE_BODIES)
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)编制。"
        f"年度报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    )
    if rng.random() < 0.5:
        opening = rng.choice(
            [
                f"{y}年,{report.agency}严格按照《条例》,坚持以公开为常态、不公开为例外。",
                f"{y}年,{report.agency}在市委、市政府的正确领导下,认真贯彻实施《条例》。",
            ]
        )
        return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")
    index = "\n".join(
        [
            f"| 名称 | {report.agency}{y}年政府信息公开工作年度报告 | ||||",
            "|---|---|---|---|---|---|",
            f"| 索引号 | 000014349/{y + 1}-04314 | 发布日期 | {y + 1}-01-20 | 发布机构 | |",
            f"| 文号 | 文件分类 | 综合政务 | 所属机构 | {report.agency} | |",
        ]
    )
    return ".txt", (index + sep + preface + sep + body).encode("utf-8")


# A flip-book's page holding section 4 alone: its header as the reader prints it, vertical header
# text one character per line (the 审计局's page) or two (文登区信访局's).
_FLIP_HEADERS = (
    (
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        "结 结 其 尚",
        "结 结 其 尚 结 结 其 尚",
        "果 果 他 未",
        "总计 果 果 他 未 总 果 果 他 未 总",
        "维 纠 结 审",
        "维 纠 结 审 计 维 纠 结 审 计",
        "持 正 果 结",
        "持 正 果 结 持 正 果 结",
    ),
    (
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        "结果 结果 其他 尚未 总",
        "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总",
        "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计",
    ),
)
_PROCEEDINGS = ("administrative_review", "litigation_without_review", "litigation_after_review")
_OUTCOMES = ("upheld", "corrected", "other_result", "pending", "total")


def render_section4_page(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """One page of a flip-book (a PDF shown page by page, its text copied per page) that holds
    section 4 alone: the viewer's header (Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告, P. 8),
    section 4's heading and a sentence, the table's header in vertical text, its 15 figures on one
    line, then section 5; half the pages open on section 3's last row (四、结转下年度继续办理 0 0 0 0 0 0
    0). Nothing on the page tells the templates apart (section 4 is the same in both). Truth: the
    cells printed (the rest of the report is on other pages), the template the year gives."""
    y, page = report.year, rng.randint(6, 11)
    report.template = "2021" if y >= 2021 else "2019"
    cells = [CellKey(4, "review_litigation", row, col) for row in _PROCEEDINGS for col in _OUTCOMES]
    # the page may open on section 3's last row, its label and seven figures on one line
    forward = [k for k in cells_for(report.template) if k.row_key == "carried_forward"] if rng.random() < 0.5 else []
    report.values = {k: report.values[k] for k in forward + cells}
    figures = " ".join(_fmt(report.values[k], k, rng, units=False) for k in cells)
    heading = rng.choice([HEADINGS[4], "四、因政府信息公开工作被申请行政复议提起行政诉讼情况"])
    last_row = " ".join(["四、结转下年度继续办理", *(_fmt(report.values[k], k, rng, units=False) for k in forward)])
    lines = [
        f"Page {page} - {report.agency}{y}年政府信息公开工作年度报告",
        f"P. {page}",
        *([last_row] if forward else []),
        heading,
        f"{y} 年,本单位依法办理政府信息公开事项。",
        *rng.choice(_FLIP_HEADERS),
        figures,
        HEADINGS[5],
        f"{y} 年,本单位政务公开工作仍有不足,下一步将逐项改进。",
    ]
    return ".txt", "\n".join(lines).encode("utf-8")


def render_one_figure_merged(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 2's rows of two or three columns printing one figure (the table's merged cells lost:
    the empty cells are not printed, one cell per line, 规章 then 0 then 规范性文件): a 0 whose
    row is all zeros (前进区教育局's 行政事业性收费, 肖村乡's 规章), or a figure only one column allows
    (a negative 本年增/减, an amount with decimals under 采购总金额), or a count under columns of
    counts, whose column nothing tells. Truth: every cell (the cells not printed are blank: 0)."""
    singles: dict[str, CellKey] = {}  # row → the cell its one figure is printed in
    for table_key in dict.fromkeys(k.table_key for k in report.values if k.section == 2):
        for row in dict.fromkeys(k.row_key for k in report.values if k.table_key == table_key):
            keys = [k for k in report.values if k.table_key == table_key and k.row_key == row]
            if len(keys) < 2 or rng.random() < 0.4:
                continue
            for k in keys:
                report.values[k] = 0.0
            change = [k for k in keys if k.column_key == "change"]
            amount = [k for k in keys if k.column_key == "procurement_amount"]
            kind = rng.choice(["zero", "zero", "kind", "count"])
            if kind == "kind" and change:
                singles[row] = change[0]
                report.values[change[0]] = float(-rng.randint(1, 20))
            elif kind == "kind" and amount:
                singles[row] = amount[0]
                report.values[amount[0]] = rng.randint(100, 99999) / 100 + 0.01
            elif kind == "count":
                singles[row] = rng.choice([k for k in keys if k.column_key not in ("change", "procurement_amount")])
                report.values[singles[row]] = float(rng.randint(1, 300))
            else:
                singles[row] = rng.choice(keys)
    style = _style(rng, report)
    base = _cell_blank_table(style, rng)

    def table(page: _Page, grid: GTable, section: int) -> None:
        if section != 2:
            base(page, grid, section)
            return
        for cells in _row_cells(grid):
            for c in cells:
                if c.figure and c.key is not None:
                    if c.key.row_key not in singles or singles[c.key.row_key] == c.key:
                        page.fig(_fmt(report.values[c.key], c.key, rng, units=False), (c.key,))
                        page.add("\n\n")
                    continue
                if not c.figure:
                    for piece in _pieces(c, 0.0, rng):
                        page.add(_brackets(piece, style) + "\n\n")

    page = _Page()
    _head(page, report, style, rng, "\n\n", chrome=False)
    _write_report(page, report, style, rng, "\n\n", table)
    return _done(page)


def render_runtogether_stated(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Figures run together (行政规范性文件3520, as web-runtogether), and the narrative states some
    of the 2021 form's 规范性文件 figures (共制定规范性文件3件, 废止规范性文件5件, 现行有效的规范性文件20件),
    as real pages do (C7). Truth: every cell."""
    text = _page_web_runtogether(report, rng).text()
    if report.template == "2021":
        said = {
            "issued": "共制定规范性文件{}件",
            "repealed": "废止规范性文件{}件",
            "in_force": "现行有效的规范性文件{}件",
        }
        chosen = [c for c in said if rng.random() < 0.7] or ["issued"]
        clauses = [said[c].format(int(report.values[CellKey(2, "art20_1", "normative_documents", c)])) for c in chosen]
        sentence = f"{report.year}年,本机关" + ",".join(clauses) + "。"
        text = text.replace(HEADINGS[1] + "\n", HEADINGS[1] + "\n" + sentence + "\n", 1)
    return ".txt", text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Round 10 (wild10, December 2026): determiners read as townships, a street after a zone ending in 区,
# tax bureaus' numbered branches and self-publishing prefaces, a zone's policy research office, the
# General Administration of Customs, 信息 in a bureau's name.


def render_whole_township_word(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title or preface names the publisher; the first item under 总体情况 speaks of the whole
    township ((一)主动公开。2023年全乡主动公开信息共计70条) and the township is named only in the
    contact line (请与遂溪县北坡镇人民政府党政办公室联系). Truth: every cell, the township's government."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    whole = "全" + town[-1]
    preface = (
        f"根据《中华人民共和国政府信息公开条例》要求,现公布我{town[-1]}{y}年政府信息公开工作年度报告。"
        f"所列数据的统计时限自{y}年1月1日起至{y}年12月31日止。"
    )
    said = [
        f"(一)主动公开。{y}年{whole}通过网站和公示栏公开信息{rng.randint(20, 90)}条。",
        f"如对本报告有疑问,请与{report.agency}党政办公室联系(电话:0759-1234567)。",
    ]
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


# Streets administered by a development zone whose name ends in 区, each the only street of its name
# in the division list (so its county is the list's): (zone, street, the street's county).
_ZONE_STREETS = (
    ("大连长兴岛经济技术开发区", "长兴岛街道", "瓦房店市"),
    ("上海漕河泾新兴技术开发区", "漕河泾街道", "徐汇区"),
    ("长春净月高新技术产业开发区", "净月街道", "南关区"),
)


def render_zone_word_street(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title names a street after the development zone that administers it, the zone's name
    ending in 区 and the street's 办事处 left off (大连长兴岛经济技术开发区长兴岛街道2022年政府信息公开工作年度
    报告): 区 is the zone's, not the street's first character. Truth: every cell, the street's
    office with its county from the division list (瓦房店市长兴岛街道办事处)."""
    zone, street, county = rng.choice(_ZONE_STREETS)
    report.agency = f"{county}{street}办事处"
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{zone}{street}{y}年政府信息公开工作年度报告"
    opening = f"{y}年,{street[:-2]}街道依法做好政府信息公开,按时更新公开栏目。"
    return ".txt", (title + sep + _opening(body, sep, opening)).encode("utf-8")


def render_tax_numbered_branch(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city tax bureau's numbered branch publishes (国家税务总局上海市税务局第三税务分局): the preface says
    由…编制 and the opening sentence names it short (第三税务分局认真贯彻…). Truth: every cell, the
    branch's whole name."""
    _, city, _ = _region_of(report, rng)
    ordinal = rng.choice(["第一", "第二", "第三", "第十一"])
    report.agency = f"国家税务总局{city}税务局{ordinal}税务分局"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = f"依照《中华人民共和国政府信息公开条例》,本报告由{report.agency}编制,统计期限为{y}年1月1日至12月31日。"
    opening = f"{y}年,{ordinal}税务分局按照上级部署推进政务公开。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


def render_tax_publishes_itself(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A tax bureau's preface names it whole as the subject (国家税务总局珠海市税务局向社会公布本单位2020年
    政府信息公开工作年度报告), and the opening sentence names it short (2020年,珠海市税务局深入贯彻…).
    Truth: every cell, the whole name."""
    _, city, _ = _region_of(report, rng)
    report.agency = f"国家税务总局{city}税务局"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"依照《中华人民共和国政府信息公开条例》,{report.agency}向社会公布本单位{y}年政府信息公开工作年度报告,"
        f"统计期限为{y}年1月1日至{y}年12月31日。"
    )
    opening = f"{y}年,{city}税务局把政务公开同税收工作一并推进。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


_ZONE_OFFICES = ("政策研究室", "党政办公室")


def render_zone_research_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A development zone's policy research office publishes (长春净月高新技术产业开发区政策研究室): the
    preface says 由…依据《…》以及部门信息公开工作编制而成, and the text calls it 政策研究室 after that.
    Truth: every cell, the office's name as printed."""
    zone = rng.choice(["长春净月高新技术产业开发区", "大连长兴岛经济技术开发区", "西安高新技术产业开发区"])
    report.agency = zone + "政策研究室"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本年度报告由{report.agency}依据《中华人民共和国政府信息公开条例》、《中华人民共和国政府信息公开工作年度报告格式》"
        f"并结合本室工作编制而成,统计期限为{y}年1月1日至{y}年12月31日。有疑问的,可与政策研究室联系。"
    )
    opening = f"{y}年,政策研究室按要求公开本室信息。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


def render_customs_administration(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The General Administration of Customs publishes for its own organ: the title names
    海关总署(本级机关), the preface 梳理…海关总署(本级机关)政府信息公开工作情况编制而成; the text cites 《中华人民共和国海关政府信息公开办法》 and names the contact 海关总署办公厅政务公开处. Truth:
    every cell, 海关总署."""
    report.agency = "海关总署"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本报告汇总{y}年度海关总署(本级机关)政府信息公开工作写成。对报告有意见的,可联系海关总署办公厅政务公开处。"
    )
    cited = "本年起不再适用《中华人民共和国海关政府信息公开办法》,只适用《中华人民共和国政府信息公开条例》。"
    title = f"海关总署(本级机关){y}年政府信息公开工作年度报告"
    return ".txt", (title + sep + preface + sep + _opening(body, sep, cited)).encode("utf-8")


def render_information_organ(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county-level city's bureau of industry, information and technology publishes (五常市工业信息科技局):
    its name holds 信息 before 科技, in the title and the contact line. Truth: every cell, the bureau."""
    _, _, county = _region_of(report, rng)
    report.agency = county + rng.choice(["工业信息科技局", "工业和信息科技局"])
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{y}年政府信息公开工作年度报告"
    preface = (
        f"本报告依照《中华人民共和国政府信息公开条例》编写,统计期限为{y}年1月1日至{y}年12月31日。"
        f"有疑问的,可联系{report.agency}(电话:0000-1234567)。"
    )
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


def render_opening_this_year(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title or preface names the publisher; the opening sentence does, after 今年以来 rather than a
    year (今年以来,天门镇进一步完善政务公开机制…), and the text says 我镇 after that. Truth: every cell,
    the township's government."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    preface = (
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求,编制本年度报告。"
    )
    opening = f"今年以来,{county}{town}持续规范政务公开工作。"
    mine = f"(一)主动公开。{report.year}年我{town[-1]}主动公开各类信息{rng.randint(100, 999)}条。"
    return ".txt", (preface + sep + _opening(body, sep, opening, mine)).encode("utf-8")


def render_one_line_debris(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A mirror serves the whole page on one line, with the site's markup debris left in it (`?! ?/p>`):
    no title, a preface naming no one, and the opening sentence naming the publisher without a year
    (一、总体情况 衡阳市统计局坚持以…). Truth: every cell, the bureau (named once, in the body)."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(_CITY_ORGANS)
    body, sep = _report_body(report, rng)
    y = report.year
    preface = f"说明:本报告依照政府信息公开的有关规定写成,统计期限为{y}年1月1日至{y}年12月31日。"
    opening = f"{report.agency}围绕全年重点工作推进政府信息公开。 ?! ?/p> "
    text = preface + sep + _opening(body, sep, opening)
    return ".txt", (" ".join(line.strip() for line in text.split("\n") if line.strip()) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Real pages, round 11 (wild11b, December 2026): an archive's office, 结合 before a township, a
# league's or prefecture's own report, the index's 名称 and 发布机构 fields, a receiver and a rule's
# title in the body, park committees, a year inside the title's tail, a region alone opening the report.


def render_archive_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """An archive publishes and no title names it: the preface says the archive's office compiled the
    report (宽城区档案馆办公室依据《条例》…编制了本年度报告, or 由…档案馆办公室编制) and gives it as the contact.
    Truth: every cell, the archive (长春市宽城区档案馆)."""
    _, city, county = _region_of(report, rng)
    report.agency = f"{city}{county}档案馆"
    body, sep = _report_body(report, rng)
    y = report.year
    office = f"{report.agency}办公室"
    preface = (
        rng.choice(
            [
                f"本报告由{office}依据《中华人民共和国政府信息公开条例》编制。",
                f"根据《中华人民共和国政府信息公开条例》,本报告由{office}编制,统计期限为{y}年1月1日至{y}年12月31日。",
            ]
        )
        + f"如对本报告有任何疑问,请与{office}联系(电话:0431-89990524)。"
    )
    return ".txt", (preface + sep + _opening(body, sep, f"{y}年,我馆持续做好档案信息公开。")).encode("utf-8")


def render_jiehe_township(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title names the township; the opening sentence begins with the verb 结合 before it
    (2023年,结合红星乡实际,我乡…), and the contact line names the township's office. Truth: every cell,
    the township's government (its county from the contact line)."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = f"根据《中华人民共和国政府信息公开条例》要求,编制本报告。统计期限为{y}年1月1日至{y}年12月31日。"
    said = [
        f"{y}年,结合{town}实际,我{town[-1]}扎实推进政务公开。",
        f"如对本报告有疑问,请与{report.agency}党政办公室联系(电话:0000-1234567)。",
    ]
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


# Leagues and prefectures: governed by a 行政公署, not a 人民政府.
_LEAGUES = ("兴安盟", "锡林郭勒盟", "阿拉善盟", "阿里地区", "和田地区", "喀什地区", "塔城地区", "大兴安岭地区")


def render_league_report(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A league's or prefecture's own report: the title names the region alone (兴安盟2024年政府信息
    公开工作年度报告) and the preface its portal (兴安盟行政公署门户网站). Truth: every cell, its 行政公署."""
    league = rng.choice(_LEAGUES)
    report.agency = f"{league}行政公署"
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{league}{y}年政府信息公开工作年度报告"
    preface = f"本报告电子版可以从{league}行政公署门户网站下载。统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


def render_index_name_field(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The page prints its index fields and no title line of its own: the title is the 名称 field's value,
    with 发布日期 beside it on the same line (名 称: 下陆区档案馆2022年…报告 发布日期: 2023-01-18), or in a
    table's cells. Truth: every cell, the body the title names."""
    _, _, county = _region_of(report, rng)
    report.agency = county + rng.choice((*_COUNTY_ORGANS, "档案馆"))
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{y}年政府信息公开工作年度报告"
    field = rng.choice(
        [
            f"名 称: {title} 索 引 号: 000014349/{y + 1}-05486 发布日期: {y + 1}-01-18",
            f"| 名称 | {title} | 发布日期 | {y + 1}-01-18 |",
        ]
    )
    preface = f"本报告依照《中华人民共和国政府信息公开条例》编制,统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", ("- 设为首页" + sep + field + sep + preface + sep + body).encode("utf-8")


def _contact_office_only(report: TrueReport, rng: random.Random) -> tuple[str, str, str]:
    """A county bureau named once, as its office in the contact line: (body, sep, contact)."""
    _, _, county = _region_of(report, rng)
    report.agency = county + rng.choice(_COUNTY_ORGANS)
    body, sep = _report_body(report, rng)
    return body, sep, f"如对本报告有疑问,请与{report.agency}办公室联系(电话:0000-1234567)。"


def render_receiver_named(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title or preface names the publisher; the body names, twice, the office the report is sent
    to (按要求向临沂市人民政府办公室报送), and the publisher once, as its office in the contact line.
    Truth: every cell, the publisher."""
    body, sep, contact = _contact_office_only(report, rng)
    _, city, _ = _region_of(report, rng)
    y = report.year
    receiver = f"{city}人民政府办公室"
    said = [
        f"{y}年,我局按要求向{receiver}报送政务公开工作总结,按季度向{receiver}报送公开台账。",
        contact,
    ]
    preface = f"根据《中华人民共和国政府信息公开条例》编制本报告,统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_rule_title_banfa(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title or preface names the publisher; the body cites, twice, a rule whose title ends in 办法
    (《西华县政务公开工作考核办法》: 考核办 + 法), and names the publisher once, as its office in the contact
    line. Truth: every cell, the publisher."""
    body, sep, contact = _contact_office_only(report, rng)
    _, _, county = _region_of(report, rng)
    y = report.year
    rule = f"《{county}政务公开工作{rng.choice(['考核办法', '督查办法', '审核办法'])}》"
    said = [f"{y}年,我局按照{rule}开展工作,对照{rule}逐项自查。", contact]
    preface = f"根据《中华人民共和国政府信息公开条例》编制本报告,统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


_PARKS = ("苏银产业园", "中韩产业园", "临港工业园", "中新产业园", "中德产业园")


def render_park_committee(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """An industrial park's committee (or office, 通航产业园管理办) named after a place of its own publishes (苏银产业园管理委员会2025年…),
    no region printed anywhere: in the title, or only in the preface's 现发布《…》. Truth: every cell, the
    committee as printed (probable)."""
    report.agency = rng.choice(_PARKS) + rng.choice(["管理委员会", "管委会", "管理办"])
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{y}年政府信息公开工作年度报告"
    preface = f"根据《中华人民共和国政府信息公开条例》要求,现发布《{title}》,统计期限为{y}年1月1日至12月31日。"
    head = rng.choice([title + sep + preface, "当前位置:首页>政府信息公开>政府信息公开年报" + sep + preface])
    return ".txt", (head + sep + body).encode("utf-8")


def render_tail_year(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title carries its year inside the tail (重庆市大足区人民政府外事办公室政府信息公开工作2022年度报告),
    on one line or the name over the tail; the body says 我办. Truth: every cell, the body the title names."""
    _, city, county = _region_of(report, rng)
    report.agency = f"{city}{county}" + rng.choice(["人民政府外事办公室", "教育局", "统计局"])
    body, sep = _report_body(report, rng)
    y = report.year
    tail = f"政府信息公开工作{y}年度报告"
    title = rng.choice([report.agency + tail, report.agency + "\n" + tail])
    preface = f"我单位结合{y}年度政府信息公开工作实际,编制本报告。"
    return ".txt", (title + sep + preface + sep + body).encode("utf-8")


def render_index_publisher_field(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A township's page prints its index fields as a table, the 发布机构 cell's value on the next line
    (所属机构: | 县融媒体中心 | 发布机构: |, then 大芦镇人民政府), and names the township nowhere else but 我镇.
    Truth: every cell, the township's government."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    fields = (
        f"索引号: | 11620421/{y + 1}-00001 | 生成日期: | {y + 1}-01-24 |\n"
        f"所属机构: | {county}融媒体中心 | 发布机构: |\n{report.agency} | |||\n发布时间:{y + 1}-01-24 10:56"
    )
    preface = f"根据《中华人民共和国政府信息公开条例》要求,现发布本年度报告,统计期限为{y}年1月1日到12月31日。"
    return ".txt", (fields + sep + preface + sep + body).encode("utf-8")


def render_region_subject(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city's own report with no title naming it: the opening sentence's subject is the city alone
    (2023年,三亚市坚持以…为指导), the contact its government's office or the bureau that compiles the report
    (请与喀什市政府办公室联系), or none. Truth: every cell, the city's people's government."""
    _, city, _ = _region_of(report, rng)
    report.agency = f"{city}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    contact = rng.choice(["", f"{city}政府办公室", f"{city}人民政府办公室", f"{city}政务服务和数据管理局政务公开科"])
    preface = f"本年度报告根据《中华人民共和国政府信息公开条例》要求编制,统计期限为{y}年1月1日至{y}年12月31日。" + (
        f"如有疑问,请与{contact}联系。" if contact else ""
    )
    opening = f"{y}年,{city}坚持以人民为中心,全面推进政务公开。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


def render_resource_word(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """No title names the publisher; the opening speaks of it twice by its level and a short form of its
    organ's word (市人力资源社会保障局, or 区自然资源局局 with 局 printed twice), whose 资源 is also 资源县's short
    form; the contact names it whole once. Truth: every cell, the publisher."""
    _, city, county = _region_of(report, rng)
    if rng.random() < 0.5:
        report.agency, short = city + "人力资源和社会保障局", "市人力资源社会保障局"
    else:
        report.agency, short = county + "自然资源局", county[-1] + "自然资源局局"
    body, sep = _report_body(report, rng)
    y = report.year
    said = [
        f"{y}年,{short}认真落实《条例》要求,{short}严格执行信息发布审核制度。",
        f"如对本报告有疑问,请与{report.agency}办公室联系。",
    ]
    preface = f"根据《中华人民共和国政府信息公开条例》编制本报告,统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_summary_report(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city's own report, no title naming it: the preface calls it a summary of the city's counties' and
    departments' reports (综合2017年度丽水市各县(市、区)政府和市级各部门的…报告编制而成), the contact is its
    government's office, the body says 我市. Truth: every cell, the city's people's government."""
    _, city, _ = _region_of(report, rng)
    report.agency = f"{city}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    verb = rng.choice(["综合", "汇总"])
    contact = rng.choice([f"{city}人民政府办公室政府信息公开中心", f"{city}人民政府办公室", f"{city}政务公开办公室"])
    preface = (
        f"本年度报告根据《中华人民共和国政府信息公开条例》要求,{verb}{y}年度{city}各县(市、区)政府和市级各部门的"
        f"政府信息公开年度工作报告编制而成。统计期限自{y}年1月1日起至{y}年12月31日止。如对本报告有疑问,请与{contact}联系。"
    )
    opening = f"{y}年,我市全面推进决策、执行、管理、服务、结果公开。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


def render_zone_own_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A development zone's report opens on the zone as the subject (2023年,呼和浩特经济技术开发区坚持…), no title
    or preface naming it; the contact is its 党政办公室, the address its 管理委员会's building: the zone's own units,
    each named once where the zone (ending in 区, no organ's suffix) counts for nothing in the body. Truth: every
    cell, the zone as the opening names it."""
    _, city, _ = _region_of(report, rng)
    zone = city.removesuffix("市") + rng.choice(["经济技术开发区", "高新技术产业开发区"])
    report.agency = zone
    body, sep = _report_body(report, rng)
    y = report.year
    office = zone + rng.choice(["党政办公室", "综合办公室", "办公室"])
    preface = (
        f"本年度报告根据《中华人民共和国政府信息公开条例》编制,统计期限自{y}年1月1日起至{y}年12月31日止。"
        f"如对本报告有任何疑问,请与{office}联系(地址:{zone}管理委员会办公楼)。"
    )
    opening = f"{y}年,{zone}坚持以习近平新时代中国特色社会主义思想为指导,加大政府信息公开力度。"
    return ".txt", (preface + sep + _opening(body, sep, opening)).encode("utf-8")


def render_level_organ(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county bureau speaks of itself by its level and organ alone (2021年,县统计局积极…), twice; its county is
    printed only in the notice the preface cites (《平武县人民政府办公室关于…的通知》), no title or contact names it.
    Truth: every cell, the county's bureau (probable)."""
    _, _, county = _region_of(report, rng)
    organ = rng.choice(_COUNTY_ORGANS)
    report.agency = county + organ
    body, sep = _report_body(report, rng)
    y = report.year
    short = county[-1] + organ
    preface = (
        f"根据《中华人民共和国政府信息公开条例》和《{county}人民政府办公室关于{y}年度政府信息公开工作年度报告编制工作的通知》"
        f"要求,现将{y}年度政府信息公开工作情况报告如下:"
    )
    said = [f"{y}年,{short}积极加强政府网站建设。", f"{y}年{short}积极部署政府信息公开工作,实行“一把手”负总责。"]
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_cover_date(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city's report opening on its cover: its government's name on a line of its own over the month it
    published (廣州市人民政府 / 2013年3月), no title line; the contact, its government's office, is the only other
    body named, as often (广州市政府办公厅政务公开处); the body says 我市. Truth: every cell, the city's government."""
    _, city, _ = _region_of(report, rng)
    report.agency = f"{city}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    cover = f"{report.agency}\n{y + 1}年{rng.randint(1, 3)}月"
    office = f"{city}政府办公{rng.choice(['厅', '室'])}"
    preface = (
        f"本年度报告是根据《中华人民共和国政府信息公开条例》要求编写而成。本报告中所列数据的统计期限自{y}年1月1日起"
        f"至{y}年12月31日止。如对本年报有任何疑问,请与{office}政务公开处联系。"
    )
    opening = f"{y}年,我市深化政务公开工作取得了新进展。"
    return ".txt", (cover + sep + preface + sep + _opening(body, sep, opening)).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# A government site's meta tags (政府网站发展指引, 2017) over a report page whose text names its publisher only as
# 我局, or without its region, or plainly (htmlmeta, December 2026). The page is HTML: the report's tables as <table>.


def _meta_page(report: TrueReport, rng: random.Random, head: list[str], tags: dict[str, str]) -> tuple[str, bytes]:
    """The report as a site's article page: `head` (title, preface) before 一、总体情况, the body speaking of the
    publisher as 我局, the tables in <table>, and `tags` as the <head>'s meta tags (name: content)."""
    for key, value in report.values.items():
        if value != int(value) and key not in report.printed:  # a fee to the yuan in 万元: all six decimals
            report.printed[key] = f"{value:.6f}".rstrip("0").rstrip(".")
    lay = layout(report, Damage(), rng)
    first = lay.blocks.index(HEADINGS[1])
    we = _body_of(report).we
    lay.blocks = [*head, *(b.replace(report.agency, we) if isinstance(b, str) else b for b in lay.blocks[first:])]
    metas = "".join(f'<meta name="{name}" content="{html.escape(content)}">\n' for name, content in tags.items())
    page = render_html(lay, Damage(), chrome=False).replace(
        "<html><body>",
        f'<!DOCTYPE html><html><head><meta charset="utf-8">\n{metas}<title>政府信息公开年报</title></head><body>',
        1,
    )
    return ".html", page.encode("utf-8")


def _county_bureau(report: TrueReport, rng: random.Random) -> tuple[str, str, str]:
    """(county, organ, the report's agency): a county's bureau, the truth."""
    _, _, county = _region_of(report, rng)
    organ = rng.choice(_COUNTY_ORGANS)
    report.agency = county + organ
    return county, organ, report.agency


def _plain_preface(year: int) -> str:
    return f"根据《中华人民共和国政府信息公开条例》要求,现将{year}年度政府信息公开工作情况报告如下。"


def _pub_date(year: int, rng: random.Random) -> str:
    return f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} {rng.randint(8, 17):02d}:{rng.choice(['00', '30'])}"


def render_meta_source_we(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county bureau's page whose text names no publisher (a bare title, 我局 in the body); its ContentSource tag
    names the bureau, whole or as 县X局 on the county's portal (SiteName). Truth: every cell, the bureau (probable)."""
    county, organ, name = _county_bureau(report, rng)
    y = report.year
    title = f"{y}年政府信息公开工作年度报告"
    source = name if rng.random() < 0.5 else county[-1] + organ
    tags = {
        "SiteName": f"{county}人民政府" + rng.choice(["", "门户网站"]),
        "ArticleTitle": title,
        "PubDate": _pub_date(y, rng),
        "ContentSource": source,
    }
    return _meta_page(report, rng, [title, _plain_preface(y)], tags)


def render_meta_title(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A page whose text has no title (the editor put it in the page's header only): the ArticleTitle tag names
    the bureau; the text says 我局. Truth: every cell, the bureau."""
    county, _, name = _county_bureau(report, rng)
    y = report.year
    tags = {
        "SiteName": f"{county}人民政府",
        "ColumnName": "政府信息公开年报",
        "ArticleTitle": f"{name}{y}年政府信息公开工作年度报告",
        "PubDate": _pub_date(y, rng),
    }
    return _meta_page(report, rng, [_plain_preface(y)], tags)


def render_meta_site_region(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county bureau's title without its region (县档案局2023年…), on its county's portal (SiteName); the
    ContentSource is the portal's editor (县政府办公室) or absent. Truth: every cell, the bureau (probable)."""
    county, organ, _ = _county_bureau(report, rng)
    y = report.year
    title = f"{county[-1]}{organ}{y}年政府信息公开工作年度报告"
    tags = {
        "SiteName": f"{county}人民政府",
        "SiteIDCode": f"{rng.randint(1000000000, 9999999999)}",
        "ArticleTitle": title,
    }
    if rng.random() < 0.5:
        tags["ContentSource"] = f"{county[-1]}政府办公室"
    return _meta_page(report, rng, [title, _plain_preface(y)], tags)


def render_meta_editor(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Tags that mislead: the ContentSource and Author are the portal's editor (县人民政府办公室), the SiteName the city's
    portal, while the text's title names the bureau. Truth: every cell, the bureau (the text wins)."""
    _, city, county = _region_of(report, rng)
    name = report.agency = county + rng.choice(_COUNTY_ORGANS)
    y = report.year
    title = f"{name}{y}年政府信息公开工作年度报告"
    editor = rng.choice([f"{county}人民政府办公室", f"{county[-1]}政府办公室", f"{city}人民政府"])
    tags = {"SiteName": f"{city}人民政府", "ArticleTitle": title, "ContentSource": editor, "Author": editor}
    return _meta_page(report, rng, [title, _plain_preface(y)], tags)


def render_meta_empty(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The tags absent, empty or a CMS template left unfilled (<CMSPRO_DOCUMENT …>, ${title}), over a page whose
    title names the bureau. Truth: every cell, the bureau."""
    _, _, name = _county_bureau(report, rng)
    y = report.year
    title = f"{name}{y}年政府信息公开工作年度报告"
    kind = rng.choice(["absent", "empty", "unfilled"])
    names = ("SiteName", "ArticleTitle", "PubDate", "ContentSource", "Author")
    if kind == "absent":
        tags: dict[str, str] = {}
    elif kind == "empty":
        tags = dict.fromkeys(names, rng.choice(["", " "]))
    else:
        tags = {n: rng.choice(["${" + n + "}", f"<CMSPRO_DOCUMENT FIELD='{n}'></CMSPRO_DOCUMENT>"]) for n in names}
    return _meta_page(report, rng, [title, _plain_preface(y)], tags)


# ---------------------------------------------------------------------------------------------
# Round 13 (wild13, December 2026): who published it, on publishers earlier rounds met little.


def render_fire_rescue(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A fire and rescue unit publishes (宝坻区消防救援支队 over 政府信息公开工作2025年度报告; 由枣庄高新区消防救援大队编制,
    a zone's unit): the title names it, or only the preface's 由…编制 does; the body says 我大队/我支队 and names its
    county's government once. Truth: every cell, the unit as printed."""
    _, city, county = _region_of(report, rng)
    unit = rng.choice(["消防救援支队", "消防救援大队"])
    report.agency = rng.choice([county, city + county, city.removesuffix("市") + "高新区"]) + unit
    body, sep = _report_body(report, rng)
    y = report.year
    said = f"{y}年,我{unit[-2:]}在{county}人民政府的领导下,全面落实《条例》要求。"
    if rng.random() < 0.5:
        head = rng.choice(
            [f"{report.agency}\n政府信息公开工作{y}年度报告", f"{report.agency}{y}年政府信息公开工作年度报告"]
        )
        preface = f"本报告根据《中华人民共和国政府信息公开条例》编制,统计期限自{y}年1月1日起至{y}年12月31日止。"
        text = head + sep + preface
    else:
        text = (
            f"本报告根据《中华人民共和国政府信息公开条例》和省、市有关工作要求,由{report.agency}编制。统计期限自{y}年1月1日起"
            f"至{y}年12月31日止。如对本报告有疑问,请与{report.agency}办公室联系。"
        )
    return ".txt", (text + sep + _opening(body, sep, said)).encode("utf-8")


def render_zone_committee_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A zone committee's office compiles the report or opens it (2019年,宁波国家高新区(新材料科技城)管委会办公室政务公开工作
    按照…; 由X管委会办公室编制), the zone's second name in brackets or not; no title. Truth: every cell, the committee
    the office belongs to, as printed (its office stands for it, as a 管理委员会's does)."""
    _, city, _ = _region_of(report, rng)
    second = rng.choice(["", "(新材料科技城)", "(滨江商务区)"])
    report.agency = city.removesuffix("市") + rng.choice(["国家高新区", "经济技术开发区", "高新区"]) + second + "管委会"
    body, sep = _report_body(report, rng)
    y = report.year
    office = report.agency + rng.choice(["办公室", "党政办公室"])
    if rng.random() < 0.5:
        preface = f"本年报由{office}编制,统计时间截至{y}年12月31日。"
        said = f"{y}年,我委进一步加强领导、完善机制。"
    else:
        preface = f"本年报根据《中华人民共和国政府信息公开条例》编制,统计时间截至{y}年12月31日。"
        said = f"{y}年,{office}政务公开工作按照年初下发的工作要点,进一步加强领导、完善机制。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


def render_weather_department(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city's weather service reports as a 部门 (湖北省咸宁市气象部门2022年政府信息公开工作年度报告, the title over two
    lines or one; 2022年,咸宁市气象部门认真贯彻…, 我市气象部门). Truth: every cell, the city's 气象局 as the title names its
    region (the bureau publishes its department's report)."""
    province, city, _ = _region_of(report, rng)
    region = rng.choice([city, province + city])
    report.agency = region + "气象局"
    body, sep = _report_body(report, rng)
    y = report.year
    title = rng.choice(
        [f"{region}气象部门{y}年政府信息公开工作年度报告", f"{region}气象部门{y}年政府信息\n公开工作年度报告"]
    )
    said = [f"{y}年,{city}气象部门认真贯彻落实《条例》精神。", "我市气象部门加强信息公开工作及时性。"]
    return ".txt", (title + sep + _opening(body, sep, *said)).encode("utf-8")


def render_zone_name_forms(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A zone's report opens on its name (2024年,番禺经济技术开发区管委会坚持…), no title; the body names it again, more
    often, in other forms of the same name: short (番禺经开区管委会, twice) or its office after its province's name as the
    contact (安徽舒城经济开发区综合办公室). Truth: every cell, the zone as the opening names it."""
    province, city, county = _region_of(report, rng)
    place = rng.choice([city.removesuffix("市"), county[:-1] if len(county) > 2 else county])
    long, short = rng.choice([("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区"), ("经济开发区", "经开区")])
    committee = rng.choice(["管委会", ""])
    report.agency = place + long + committee
    body, sep = _report_body(report, rng)
    y = report.year
    opening = f"{y}年,{report.agency}坚持以习近平新时代中国特色社会主义思想为指导,持续推动政务公开工作取得实效。"
    if committee and rng.random() < 0.5:
        said = [
            f"{place}{short}管委会始终将政务信息主动公开作为重要抓手。",
            f"{y}年,{place}{short}管委会主动公开各类信息74条。",
        ]
        contact = ""
    else:
        said = []
        contact = f"如对本报告有任何疑问,请与{province.removesuffix('省')}{place}{long}综合办公室联系。"
    preface = f"本报告依据《中华人民共和国政府信息公开条例》要求撰写,统计期限为{y}年1月1日至{y}年12月31日。{contact}"
    return ".txt", (preface + sep + _opening(body, sep, opening, *said)).encode("utf-8")


def render_portal_download(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The preface says where to download the report: its region's portal, 门户 alone before the link (报告可在定州市人民
    政府门户(http://www.dzs.gov.cn)下载); the publisher, a county bureau, is named once, in the contact; no title names
    it. Truth: every cell, the bureau (the portal's government hosts the report, it does not publish it)."""
    _, city, county = _region_of(report, rng)
    report.agency = county + rng.choice(_COUNTY_ORGANS)
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"{y}年政府信息公开工作年度报告{sep}本报告的统计数据时间自{y}年1月1日起至{y}年12月31日,报告可在"
        f"{rng.choice([city, county])}人民政府门户(http://www.example.gov.cn)下载。如对本报告有任何疑问,请与"
        f"{report.agency}办公室联系。"
    )
    return ".txt", (preface + sep + body).encode("utf-8")


def render_zone_party_office(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A zone's office compiles the zone's report (本报告由临沂高新区党政办公室按照…要求编制), no title; the contact names the
    office again, the body says 高新区, 管委会. Truth: every cell, the zone (its office stands for it, as an archive's
    or a bureau's does)."""
    _, city, _ = _region_of(report, rng)
    report.agency = city.removesuffix("市") + rng.choice(["高新区", "经济技术开发区", "经济开发区"])
    body, sep = _report_body(report, rng)
    y = report.year
    office = report.agency + rng.choice(["党政办公室", "综合办公室", "办公室"])
    preface = (
        f"本报告由{office}按照《中华人民共和国政府信息公开条例》的要求编制。本报告中所列数据的统计期限自{y}年1月1日起至"
        f"{y}年12月31日止。如对本报告有疑问,请与{office}联系。"
    )
    said = f"{y}年,全年共发布管委会和管委会办公室文件41件。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


def render_own_website(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A bureau's report names itself only as 我局 and by its own website, where the report can be read (本报告电子版可在
    深圳市交通运输局网站(jtys.sz.gov.cn)信息公开专栏查阅; 请与我局政务公开工作小组联系); no title. Truth: every cell, the
    bureau whose site it is (probable: the text's own word fits it)."""
    _, city, county = _region_of(report, rng)
    report.agency = rng.choice([city + rng.choice(_CITY_ORGANS), county + rng.choice(_COUNTY_ORGANS)])
    body, sep = _report_body(report, rng)
    y = report.year
    site = rng.choice(["网站", "门户网站"])
    preface = (
        f"本报告结合我局职能和工作实际编制,数据统计周期自{y}年1月1日起至{y}年12月31日止。本报告电子版可在{report.agency}"
        f"{site}(www.example.gov.cn)信息公开专栏查阅。如对本报告有任何疑问,请与我局政务公开工作小组联系。"
    )
    return ".txt", (preface + sep + body).encode("utf-8")


def render_street_jie_opening(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A street's report names it only as X街 (街道 short) opening the report (2022年,白云街以习近平新时代…为指导), and
    as 我街 and 全街; its district only in the portal's name (越秀区门户网站); no title. Truth: every cell, the street's
    办事处 as the text names it (the district a portal names does not place it)."""
    _, _, county = _region_of(report, rng)
    street = rng.choice(_STREETS)
    report.agency = f"{street}办事处"
    body, sep = _report_body(report, rng)
    y = report.year
    said = [
        f"{y}年,{street[:-1]}以习近平新时代中国特色社会主义思想为指导,持续加大公开力度。",
        f"充分利用{county}门户网站、社区宣传栏等信息公开窗口发布信息。{y}年,我街共受理政府信息公开申请1件。",
    ]
    preface = f"本报告依据《中华人民共和国政府信息公开条例》编制,统计期限为{y}年1月1日至{y}年12月31日。"
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_two_zone_title(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The title names two zones under one committee side by side (阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区2024年
    政府信息公开工作年度报告), the second a 示范区 no list has; the preface points to both zones' committee's site, the
    body says 我区. Truth: every cell, the first zone, as the title names it whole."""
    _, city, _ = _region_of(report, rng)
    place = city.removesuffix("市")
    report.agency = place + rng.choice(["高新技术产业开发区", "经济技术开发区"])
    second = rng.choice(["乌兰布和生态沙产业示范区", "临港产业示范区", "现代农业示范区"])
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{report.agency}{rng.choice([' ', ''])}{second}{y}年政府信息公开工作年度报告"
    preface = (
        f"本年度报告根据《中华人民共和国政府信息公开条例》制作,所列数据统计期限为{y}年1月1日至{y}年12月31日。本年度报告"
        f"电子版可以从{place}高新区、{second[:4]}示范区管委会网站下载。"
    )
    said = f"{y}年,我区坚持以习近平新时代中国特色社会主义思想为指导。"
    return ".txt", (title + sep + preface + sep + _opening(body, sep, said)).encode("utf-8")


def render_township_contact_only(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A township's report names it only as the contact's address (请与本单位政府信息公开受理机构联系,地址:永嘉县溪下乡人民政府
    党政综合办公室), which the body's count passes over as where, not who; the body says 我乡/我镇 and the township's name
    alone (2023年度溪下乡未收到…). Truth: every cell, the township's government with its county (probable)."""
    _, _, county = _region_of(report, rng)
    town = rng.choice(_TOWNS)
    report.agency = f"{county}{town}人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本年度报告根据《中华人民共和国政府信息公开条例》的要求编制。如对本年度报告有疑问,请与本单位政府信息公开受理机构"
        f"联系,地址:{report.agency}党政综合办公室,电话:0577-67137027。"
    )
    said = f"我{town[-1]}设立便捷有效的申请途径。{y}年度{town}未收到政府信息公开申请。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


# Round 13 (cells13, December 2026): the tables' cells.


def _insert_after_figure(page: _Page, text: str, section: int, piece: str, rng: random.Random) -> str:
    """`piece` put after a figure printed inside `section`'s table, before the next figure (so
    that it falls between two cells of the table); the text unchanged where the table has none."""
    end = page.table_starts.get(section + 1, len(text)) if section < 4 else len(text)
    inside = [stop for start, stop, _ in page.spans if page.table_starts[section] <= start and stop < end]
    if len(inside) < 2:
        return text
    at = rng.choice(inside[:-1])
    return text[:at] + piece + text[at:]


def render_page_number_in_table(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """One cell per line, blank-line separated (cell-per-line-blank), from a PDF or flip-book whose
    page breaks fall inside the tables: the page's number on a line of its own between two figures
    (`- 3 -`, `— 4 —`, `第 3 页 共 6 页`, `第3页`), one inside section 3's table and maybe one inside
    section 2's or 4's. Truth: every cell."""
    page = _page_cell_blank(report, rng)
    text = page.text()
    n = rng.randint(2, 7)
    forms = [f"- {n} -", f"-{n}-", f"— {n} —", f"第 {n} 页 共 {n + rng.randint(1, 5)} 页", f"第{n}页", f"－{n}－"]
    # Later sections first: an insertion moves only the text after it.
    for section in (4, 3, 2):
        if section == 3 or rng.random() < 0.4:
            text = _insert_after_figure(page, text, section, "\n\n" + rng.choice(forms), rng)
    return ".txt", text.encode("utf-8")


_OUTCOME_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _section4_page(
    report: TrueReport, rng: random.Random, write4: Callable[[_Page, list[list[CellKey]], bool], None]
) -> tuple[str, bytes]:
    """A page printed one cell per line (blank-line separated) or as pipe rows, whose section 4
    `write4` draws: it gets the page, the cells of each proceeding (in column order) and whether
    the page prints pipe rows."""
    piped = rng.random() < 0.5
    sep = "\n" if piped else "\n\n"
    style = _style(rng, report)
    base = _pipes_table(style, rng) if piped else _cell_blank_table(style, rng)
    proceedings = [
        [
            CellKey(4, "review_litigation", r.row_key, c.column_key)
            for c in columns_for(report.template, "review_litigation")
        ]
        for r in rows_for(report.template, 4)
    ]

    def table(page: _Page, grid: GTable, section: int) -> None:
        if section == 4:
            write4(page, proceedings, piped)
        else:
            base(page, grid, section)

    page = _Page()
    _head(page, report, style, rng, sep, chrome=False)
    _write_report(page, report, style, rng, sep, table)
    return _done(page)


def render_section4_transposed(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 4 transposed: the proceedings across the top (行政复议; 行政诉讼 over 未经复议直接起诉 and
    复议后起诉), one row per outcome (结果维持 0 0 0 … 总计 1 0 1), as pipe rows or one cell per line.
    Truth: every cell."""

    def write4(page: _Page, proceedings: list[list[CellKey]], piped: bool) -> None:
        sep = " | " if piped else "\n\n"
        end = " |\n" if piped else "\n\n"
        page.add(sep.join(["行政复议", "行政诉讼"]) + end + sep.join(["未经复议直接起诉", "复议后起诉"]) + end)
        for k, outcome in enumerate(_OUTCOME_LABELS):
            page.add(outcome)
            for cells in proceedings:
                page.add(sep)
                page.fig(_fmt(report.values[cells[k]], cells[k], rng, units=False), (cells[k],))
            page.add(end)

    return _section4_page(report, rng, write4)


def render_section4_outcome_lines(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 4 one outcome per line under each proceeding (行政复议, 结果维持 0, 结果纠正 0, …, 总计 0,
    行政诉讼, 未经复议直接起诉, 结果维持 0, …), as pipe rows or one cell per line. Truth: every cell."""
    heads = (["行政复议"], ["行政诉讼", "未经复议直接起诉"], ["复议后起诉"])

    def write4(page: _Page, proceedings: list[list[CellKey]], piped: bool) -> None:
        sep = " | " if piped else "\n\n"
        end = " |\n" if piped else "\n\n"
        for head, cells in zip(heads, proceedings, strict=True):
            for k, outcome in enumerate(_OUTCOME_LABELS):
                page.add(sep.join([*head, outcome]) if k == 0 else outcome)
                page.add(sep)
                page.fig(_fmt(report.values[cells[k]], cells[k], rng, units=False), (cells[k],))
                page.add(end)

    return _section4_page(report, rng, write4)


def render_lost_space_mark(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A mirror's copy that could not encode the non-breaking space some cells hold beside their figure:
    `? 0` (a column of section 2's table, 本年废止件数, printed so on a traditional mirror), or U+FFFD glued
    to the figure, or ` ?` after it. Pipe rows or one cell per line ending in ` |`. Truth: every cell."""
    page = (_page_cell_pipe if rng.random() < 0.5 else _page_pipes)(report, rng)
    text = page.text()
    spans = [(start, stop) for start, stop, keys in page.spans if len(keys) == 1]
    marked = rng.sample(spans, max(1, len(spans) * rng.randint(1, 4) // 10))
    for start, stop in sorted(marked, reverse=True):
        form = rng.choice(["before", "before", "before", "replacement", "after"])
        if form == "before":
            text = text[:start] + "?" * rng.randint(1, 2) + " " + text[start:]
        elif form == "replacement":
            text = text[:start] + "\ufffd" + text[start:]
        else:
            text = text[:stop] + " ?" + text[stop:]
    return ".txt", text.encode("utf-8")


def render_change_pair_sign(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The 2019 form's 本年增/减 printed as an increase and a decrease (0/0, 3/1; a 2020 民政局's page
    prints 0/0 down the column) or as its sign word without the number (增, beside 增98, on another's):
    the cell keeps its place in the row. Pipe rows or one cell per line ending in ` |`. Truth: every cell
    but those printed as a pair other than 0/0 or as a word alone (no figure: NULL); 0/0 is 0."""
    if report.template != "2019":
        fresh = random_report(rng, template="2019", density=0.3)
        report.template, report.values, report.printed = fresh.template, fresh.values, fresh.printed
    changes = [k for k in report.values if k.column_key == "change"]
    unknown = []
    for key in rng.sample(changes, rng.randint(1, len(changes))):
        form = rng.choice(["zeros", "zeros", "pair", "word"])
        if form == "zeros":
            report.values[key] = 0.0
            report.printed[key] = "0/0"
        else:
            report.printed[key] = (
                f"{rng.randint(1, 9)}/{rng.randint(0, 9)}"
                if form == "pair"
                else rng.choice(["增", "减", "增加", "减少"])
            )
            unknown.append(key)
    out = _done(rng.choice([_page_pipes, _page_cell_pipe])(report, rng))
    for key in unknown:
        del report.values[key]
    return out


def render_bars_then_figures(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 3's rows as a 区发改局's page prints them when only 自然人 and 总计 hold figures: the
    row's label and first figure on one line (`一、本年新收… | 25 |`), a lone `|` line per empty cell,
    and the total opening a line of its own (`| 25 |`); a row whose 自然人 is empty too prints its
    label alone (`二、上年结转… |`), six bars in all. Sections 2 and 4 as pipe rows. Truth: every cell
    (the empty ones 0)."""
    legal = ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org")
    for key in [k for k in report.values if k.section == 3]:
        if key.column_key in legal:
            report.values[key] = 0.0
    for row in {k.row_key for k in report.values if k.section == 3}:
        person, total = CellKey(3, "requests", row, "natural_person"), CellKey(3, "requests", row, "total")
        report.values[total] = report.values[person]
    style = _style(rng, report, half_brackets=True)
    base = _pipes_table(style, rng)

    def table(page: _Page, grid: GTable, section: int) -> None:
        if section != 3:
            base(page, grid, section)
            return
        for cells in _row_cells(grid):
            labels = [_brackets(c.text, style) for c in cells if not c.figure]
            figures = [c for c in cells if c.figure and c.key is not None]
            if not figures:
                page.add(" | ".join(labels) + " |\n")
                continue
            person, total = figures[0], figures[-1]
            page.add(" | ".join(labels) + " |")
            empties = 5
            if report.values[person.key] or rng.random() < 0.3:  # type: ignore[index]
                page.add(" ")
                page.fig(person.text, (person.key,))  # type: ignore[arg-type]
                page.add(" |")
            else:
                empties = 6
            page.add("\n" + "|\n" * (empties - 1) + "| ")
            page.fig(total.text, (total.key,))  # type: ignore[arg-type]
            page.add(" |\n")

    page = _Page()
    _head(page, report, style, rng, "\n", chrome=False)
    _write_report(page, report, style, rng, "\n", table)
    return _done(page)


# ---------------------------------------------------------------------------------------------
# Real pages, round 14 (wild14, December 2026).


def render_commission_short_form(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A commission's report names it whole only in its contact (请与海南省卫生健康委员会办公室联系) and on its site, and
    short (委 for 委员会) in the body (海南省卫生健康委高度重视…), as often; no title, 我委 elsewhere. Truth: every cell, the
    commission's whole name (its short form is the same body, no rival)."""
    province, city, _ = _region_of(report, rng)
    region = rng.choice([province, city])
    report.agency = region + rng.choice(["卫生健康委员会", "发展和改革委员会", "民族宗教事务委员会"])
    short = report.agency.removesuffix("员会")
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本年度报告依据《中华人民共和国政府信息公开条例》编写,所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
        f"本年度报告的电子版可在{report.agency}门户网站下载。如对本年度报告有疑问,请与{report.agency}办公室联系。"
    )
    said = f"{short}高度重视政府信息公开工作,坚持以公开为常态、不公开为例外。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


def render_proposal_handling(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The body reports how it handled proposals (人大代表建议和政协委员提案办理结果, twice): 和政 is 和政县's short form and
    提案办 an office's shape, so the words read as a county's 提案办; the publisher, a city bureau, is named once, in the
    contact; no title, 我局 elsewhere. Truth: every cell, the bureau."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(_CITY_ORGANS)
    body, sep = _report_body(report, rng)
    y = report.year
    preface = (
        f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。如对本报告有疑问,请与{report.agency}办公室联系。"
    )
    said = [
        f"{y}年,我局进一步推进人大代表建议和政协委员提案办理结果公开,对社会广泛关注的建议提案均公开答复全文。",
        "同时做好人大代表建议和政协委员提案办理工作的解读。",
    ]
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_bulletin_title_label(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A bulletin page prints its fields glued to their values: the title after its label (公报标题黄石市卫健委2019年政府
    信息公开工作年度报告), then 总号 期号, 主办单位 and 公报年份 on lines of their own; the body says 我局 and names the
    city alone. Truth: every cell, the body as the title names it."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(_CITY_ORGANS)
    body, sep = _report_body(report, rng)
    y = report.year
    label = rng.choice(["公报标题", "文章标题", "标题:"])
    head = (
        f"当前位置: 首页 > 政府信息公开 > 政府信息公开年报\n{label}{report.agency}{y}年政府信息公开工作年度报告\n"
        f"总号 期号\n主办单位{report.agency} 公报年份{y}\n"
    )
    said = f"{y}年,我局根据省、市政府关于政府信息公开的要求,扎实做好本部门信息公开工作。"
    return ".txt", (head + sep + _opening(body, sep, said)).encode("utf-8")


def render_opening_party_committee(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The report opens on its publisher and the party committee it follows (2019年,云南省民政厅紧紧围绕省委、省政府中心工作,
    …; 县委 and 市委 for a county's or city's bureau); no title, the preface names nobody, the body says 我厅 (我局). Truth:
    every cell, the body the opening names (省委 is no organ's 委 at the end of a longer name)."""
    province, city, county = _region_of(report, rng)
    level, region, organs = rng.choice(
        [("省", province, _PROVINCE_ORGANS), ("市", city, _CITY_ORGANS), ("县", county, _COUNTY_ORGANS)]
    )
    report.agency = region + rng.choice(organs)
    body, sep = _report_body(report, rng)
    y = report.year
    preface = f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    said = f"{y}年,{report.agency}紧紧围绕{level}委、{level}政府中心工作,坚持以提升政务公开质量为主线。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


WILD_TEXT: dict[str, WildRenderer] = {
    "web-runtogether": render_web_runtogether,
    "cell-per-line-blank": render_cell_per_line_blank,
    "cell-per-line-pipe": render_cell_per_line_pipe,
    "pipes-ragged": render_pipes_ragged,
    "traditional": render_traditional,
    "no-figures": render_no_figures,
    "cut-short": render_cut_short,
    "hostile-cells": render_hostile_cells,
    "subheading-parts": render_subheading_parts,
    "cited-report": render_cited_report,
    "change-words": render_change_words,
    "pipe-lone-bar": render_pipe_lone_bar,
    "title-wording": render_title_wording,
    "national-body": render_national_body,
    "angle-citation": render_angle_citation,
    "publish-verb": render_publish_verb,
    "opening-subject": render_opening_subject,
    "contact-office": render_contact_office,
    "compiled-by-long": render_compiled_by_long,
    "pinyin-gloss": render_pinyin_gloss,
    "title-typo": render_title_typo,
    "one-line": render_one_line,
    "tax-bureau": render_tax_bureau,
    "zone-names": render_zone_names,
    "township-office": render_township_office,
    "party-committee": render_party_committee,
    "gloss-labels": render_gloss_labels,
    "committee-office": render_committee_office,
    "school": render_school,
    "regionless-title": render_regionless_title,
    "headless-parts": render_headless_parts,
    "province-notes": render_province_notes,
    "opening-clause": render_opening_clause,
    "compiled-by-office": render_compiled_by_office,
    "website-name": render_website_name,
    "zone-street": render_zone_street,
    "region-report": render_region_report,
    "subheading-opening": render_subheading_opening,
    "district-committee": render_district_committee,
    "informatization-organ": render_informatization_organ,
    "index-fields": render_index_fields,
    "legal-persons-one-figure": render_legal_persons_one_figure,
    "cut-in-label-number": render_cut_in_label_number,
    "name-before-verb": render_name_before_verb,
    "ministry": render_ministry,
    "column-over-title": render_column_over_title,
    "cut-after-table": render_cut_after_table,
    "regionless-zone": render_regionless_zone,
    "street-short-office": render_street_short_office,
    "bracketed-second-name": render_bracketed_second_name,
    "customs-district": render_customs_district,
    "doubled-region": render_doubled_region,
    "short-form-rival": render_short_form_rival,
    "banner-short-form": render_banner_short_form,
    "money-wan": render_money_wan,
    "inner-name-rival": render_inner_name_rival,
    "non-organ-publisher": render_non_organ_publisher,
    "school-short-name": render_school_short_name,
    "regionless-body-opening": render_regionless_body_opening,
    "section4-page": render_section4_page,
    "one-figure-merged": render_one_figure_merged,
    "runtogether-stated": render_runtogether_stated,
    "whole-township-word": render_whole_township_word,
    "zone-word-street": render_zone_word_street,
    "tax-numbered-branch": render_tax_numbered_branch,
    "tax-publishes-itself": render_tax_publishes_itself,
    "zone-research-office": render_zone_research_office,
    "customs-administration": render_customs_administration,
    "information-organ": render_information_organ,
    "opening-this-year": render_opening_this_year,
    "one-line-debris": render_one_line_debris,
    "archive-office": render_archive_office,
    "jiehe-township": render_jiehe_township,
    "league-report": render_league_report,
    "index-name-field": render_index_name_field,
    "receiver-named": render_receiver_named,
    "rule-title-banfa": render_rule_title_banfa,
    "park-committee": render_park_committee,
    "tail-year": render_tail_year,
    "index-publisher-field": render_index_publisher_field,
    "region-subject": render_region_subject,
    "resource-word": render_resource_word,
    "summary-report": render_summary_report,
    "zone-own-office": render_zone_own_office,
    "level-organ": render_level_organ,
    "cover-date": render_cover_date,
    "meta-source-we": render_meta_source_we,
    "meta-title": render_meta_title,
    "meta-site-region": render_meta_site_region,
    "meta-editor": render_meta_editor,
    "meta-empty": render_meta_empty,
    "fire-rescue": render_fire_rescue,
    "zone-committee-office": render_zone_committee_office,
    "weather-department": render_weather_department,
    "zone-name-forms": render_zone_name_forms,
    "portal-download": render_portal_download,
    "zone-party-office": render_zone_party_office,
    "own-website": render_own_website,
    "street-jie-opening": render_street_jie_opening,
    "two-zone-title": render_two_zone_title,
    "township-contact-only": render_township_contact_only,
    "page-number-in-table": render_page_number_in_table,
    "section4-transposed": render_section4_transposed,
    "section4-outcome-lines": render_section4_outcome_lines,
    "lost-space-mark": render_lost_space_mark,
    "change-pair-sign": render_change_pair_sign,
    "bars-then-figures": render_bars_then_figures,
    "commission-short-form": render_commission_short_form,
    "proposal-handling": render_proposal_handling,
    "bulletin-title-label": render_bulletin_title_label,
    "opening-party-committee": render_opening_party_committee,
}


def all_cells(report: TrueReport) -> list[CellKey]:
    """Every cell of the report's template (those not in `report.values` are missing)."""
    return list(cells_for(report.template))


# ---------------------------------------------------------------------------------------------
# Real pages, round 15 (wild15, December 2026): publishers of kinds earlier rounds met little (vertical offices, autonomous
# prefectures and banners, streets). One block, registered with WILD_TEXT.update, so other rounds' classes merge beside it.


def _period(y: int) -> str:
    return f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"


def render_postal_system(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A province's postal administration reports for its system (2020年山东省邮政管理系统政府信息公开年度报告; 西藏自治区邮政
    管理系统2020年…): the title names the 系统, or only the opening sentence does (2020年,山东省邮政管理系统坚持…); the body
    says 省局 and 全省系统. Truth: every cell, the province's 邮政管理局 (the bureau publishes its system's report)."""
    province, _, _ = _region_of(report, rng)
    report.agency = province + "邮政管理局"
    body, sep = _report_body(report, rng)
    y = report.year
    system = province + "邮政管理系统"
    said = [
        f"{y}年,{system}坚持以习近平新时代中国特色社会主义思想为统领,持续加大政府信息公开力度。",
        "省局办公室定期通报全省系统新闻宣传信息工作。",
    ]
    head = rng.choice([f"{y}年{system}政府信息公开年度报告", f"{system}{y}年政府信息公开年度报告", ""])
    return ".txt", ((head + sep if head else "") + _period(y) + sep + _opening(body, sep, *said)).encode("utf-8")


def render_bank_regulator_branch(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The banking regulator's city branch publishes (台州银保监分局编制了2018年度政府信息公开工作报告; 宿遷銀監分局2017年政府
    信息公開工作報告): the city's short name and 银保监分局 (银监分局 before 2018), in the title or only in the preface's
    …编制了; the body says 我分局 under the province's 银保监局 (银监局). Truth: every cell, the branch as printed."""
    province, city, _ = _region_of(report, rng)
    unit = rng.choice(["银保监分局", "银监分局"])
    report.agency = city.removesuffix("市") + unit
    body, sep = _report_body(report, rng)
    y = report.year
    superior = province.removesuffix("省") + unit.removesuffix("分局") + "局"
    said = f"{y}年,我分局在{superior}的领导下,坚持以公开为常态、不公开为例外。"
    if rng.random() < 0.5:
        head = (
            f"{report.agency}{y}年政府信息公开工作报告{sep}根据《中华人民共和国政府信息公开条例》规定,现向社会公布"
            f"{y}年{report.agency}政府信息公开工作报告。"
        )
    else:
        head = f"根据《中华人民共和国政府信息公开条例》要求,{report.agency}编制了{y}年度政府信息公开工作报告。"
    return ".txt", (head + sep + _opening(body, sep, said)).encode("utf-8")


# Autonomous prefectures, whose reports speak of 全州 (the whole prefecture)
_PREFECTURES = ("迪庆藏族自治州", "黔东南苗族侗族自治州", "凉山彝族自治州", "恩施土家族苗族自治州", "延边朝鲜族自治州")


def render_whole_prefecture(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A prefecture's bureau reports the whole prefecture's figures (截至2022年11月,全州累计建造通信基站6495座): 全州 opens the
    sentence where 全州县's short name could, and the words after it end as an organ's 站 would; the bureau is named once,
    in its contact, and says 我局. Truth: every cell, the bureau."""
    report.agency = rng.choice(_PREFECTURES) + rng.choice(["工业和信息化局", "生态环境局", "交通运输局"])
    body, sep = _report_body(report, rng)
    y = report.year
    preface = _period(y) + f"如对本报告有疑问,请与{report.agency}办公室联系。"
    said = [
        f"截至{y}年11月,全州累计建造通信基站{rng.randint(2000, 9000)}座,其中5G基站{rng.randint(300, 900)}座。",
        "全州所有行政村已覆盖固定宽带网络,我局持续推进信息公开。",
    ]
    return ".txt", (preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_deployment_word(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county's report opens on its region following its city's plan (2021年,乌拉特前旗紧紧围绕…以及巴彦淖尔市政务公开
    领导小组有关部署要求): 部署 (a plan) ends the words as an organ's 署 would (审计署); the body says 我县 (我旗). Truth: every
    cell, the county's government (a region alone opening the report)."""
    _, city, county = _region_of(report, rng)
    report.agency = county + "人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    said = f"{y}年,{county}紧紧围绕《条例》以及{city}政务公开领导小组有关部署要求,不断提高公开信息的全面性。"
    return ".txt", (_period(y) + sep + _opening(body, sep, said)).encode("utf-8")


# Counties whose short name no other county's shares (中国桃江 is 桃江县's portal)
_PORTAL_COUNTIES = (
    "桃江县",
    "安化县",
    "遂溪县",
    "徐闻县",
    "米脂县",
    "桦南县",
    "竹山县",
    "金堂县",
    "兰陵县",
    "沂水县",
    "永嘉县",
)


def render_level_office_portal(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city's government office, or a county's bureau, names itself by its level alone (2021年,市政府办公室认真贯彻…;
    2022年,县统计局高度重视…) and says 我办 (本单位); its region is printed only in its portal's name, whole (公开的途径为
    乌兰浩特市人民政府网) or short (在“中国如东”政府门户网站政府信息公开栏目发布). Truth: every cell, the region's office
    or bureau."""
    _, city, _ = _region_of(report, rng)
    if rng.random() < 0.5:
        report.agency, self_name, region = city + "人民政府办公室", "市政府办公室", city
    else:
        region = rng.choice(_PORTAL_COUNTIES)
        organ = rng.choice(_COUNTY_ORGANS)
        report.agency, self_name = region + organ, "县" + organ
    body, sep = _report_body(report, rng)
    body = body.replace("区政府办公室", self_name)  # (how a drawn office speaks of itself: here a city's)
    y = report.year
    portal = rng.choice([f"{region}人民政府网", f"“中国{region[:-1]}”政府门户网站"])
    said = [
        f"{y}年,{self_name}认真贯彻落实《中华人民共和国政府信息公开条例》,深化信息公开。",
        f"本单位公开的主要途径为{portal}。",
    ]
    return ".txt", (_period(y) + sep + _opening(body, sep, *said)).encode("utf-8")


# Streets and townships many counties share the name of, with one county that has one and its short name
_SHARED_NAME_TOWNSHIPS = (
    ("甘州区", "甘州", "北街街道"),
    ("德安县", "德安", "河东乡"),
    ("汉台区", "汉台", "东大街街道"),
    ("越秀区", "越秀", "白云街道"),
    ("西秀区", "西秀", "东街街道"),
)


def render_township_county_elsewhere(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A street or township is titled without its county, a name several counties share (北街街道2025年…; 河东乡), and names
    its county only in passing, short or whole (重点聚焦甘州乡镇街道动态102条; 通过德安县政府信息公开平台公开206条); it says
    我街道 (我乡). Truth: every cell, the county's township (the one of that name in the county the text names)."""
    county, short, town = rng.choice(_SHARED_NAME_TOWNSHIPS)
    report.agency = county + town + ("办事处" if town.endswith("街道") else "人民政府")
    body, sep = _report_body(report, rng)
    y = report.year
    title = f"{town}{y}年政府信息公开工作年度报告"
    said = rng.choice(
        [
            f"{y}年度,通过政府门户网站累计发布工作动态信息165条,其中重点聚焦{short}乡镇街道动态102条。",
            f"{y}年度按照县政务信息公开规范要求,通过{county}政府信息公开平台累计公开206条。",
        ]
    )
    return ".txt", (title + sep + _period(y) + sep + _opening(body, sep, said)).encode("utf-8")


_HOSPITALS = ("人民医院", "中医院", "妇幼保健院")


def render_own_account(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A hospital reports (我院) and names itself only in its own account (运用淮北市人民医院微信公众号,及时发布…), while
    it publishes on its city's open-information site (在淮北市人民政府信息公开网上…发布信息22条). Truth: every cell, the
    hospital (the site's government is where it publishes, not who)."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(_HOSPITALS)
    body, sep = _report_body(report, rng)
    body = body.replace("我局", "我院")  # (how a drawn bureau speaks of itself: here a hospital)
    y = report.year
    said = [
        f"{y}年我院在{city}人民政府信息公开网上及时完善内容、规范发布信息总计{rng.randint(10, 60)}条。",
        f"同时运用{report.agency}微信公众号,及时发布健康宣教知识等各类信息。",
    ]
    return ".txt", (_period(y) + sep + _opening(body, sep, *said)).encode("utf-8")


def render_academic_year_opening(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A university's report opens on its academic year (2019-2020学年,长江大学以习近平…为指导; 2016至2017学年,延安大学…), no
    title; the preface names only the notices it follows. Truth: every cell, the university (its year, as the drawn
    report's, in its notice's title)."""
    _, city, _ = _region_of(report, rng)
    report.agency = rng.choice(["长江大学", "延安大学", "西南交通大学", city.removesuffix("市") + "理工大学"])
    body, sep = _report_body(report, rng)
    body = body.replace("我局", "我校")  # (how a drawn bureau speaks of itself: here a university)
    y = report.year
    academic = rng.choice([f"{y - 1}-{y}学年", f"{y - 1}至{y}学年"])
    preface = f"按照《教育部办公厅关于做好{y}年高校信息公开年度报告工作的通知》要求,编制发布本报告。"
    said = f"{academic},{report.agency}以习近平新时代中国特色社会主义思想为指导,稳步推进信息公开工作。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


def render_county_site_short(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county's report says only 我县 (我旗) and names itself in its site's name, short (截至2021年12月底,乌拉特前旗政府
    网站累计发布…): 政府 for 人民政府; the index's 发布机构 says 政府办公室. Truth: every cell, the county's government."""
    _, _, county = _region_of(report, rng)
    report.agency = county + "人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    we = "我" + county[-1]
    head = f"索引号 | {rng.randint(100, 999)}/{y + 1}-01075 |\n发布机构 | 政府办公室 |\n"
    said = [
        f"{y}年,{we}紧紧围绕《中华人民共和国政府信息公开条例》,不断提高公开信息的全面性。",
        f"截至{y}年12月底,{county}政府网站累计发布信息{rng.randint(500, 3000)}条。",
    ]
    preface = f"根据《中华人民共和国政府信息公开条例》,特向社会公布{we}{y}年度信息公开年度报告。"
    return ".txt", (head + preface + sep + _opening(body, sep, *said)).encode("utf-8")


def render_compiled_into(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county's preface says what it compiled into (结合我旗2021年政务公开工作施展情况,编制形成额济纳旗2021年政府信息公开
    工作年度报告); the title, where printed, carries a betting site's name pasted before the county (第一足球网额济纳旗2021年度
    …), as the mirror printed it. Truth: every cell, the county's government."""
    _, _, county = _region_of(report, rng)
    report.agency = county + "人民政府"
    body, sep = _report_body(report, rng)
    y = report.year
    we = "我" + county[-1]
    title = rng.choice([f"第一足球网{county}{y}年度政府信息公开工作年度报告{sep}", ""])
    preface = (
        f"根据《中华人民共和国政府信息公开条例》要求,结合{we}{y}年政务公开工作施展情况,编制形成{county}{y}年政府信息公开"
        f"工作年度报告。报告所列数据统计期限为{y}年1月1日至{y}年12月31日。"
    )
    return ".txt", (title + preface + sep + body).encode("utf-8")


WILD_TEXT.update(
    {
        "postal-system": render_postal_system,
        "bank-regulator-branch": render_bank_regulator_branch,
        "whole-prefecture": render_whole_prefecture,
        "deployment-word": render_deployment_word,
        "level-office-portal": render_level_office_portal,
        "township-county-elsewhere": render_township_county_elsewhere,
        "own-account": render_own_account,
        "academic-year-opening": render_academic_year_opening,
        "county-site-short": render_county_site_short,
        "compiled-into": render_compiled_into,
    }
)


# ---------------------------------------------------------------------------------------------
# Real pages, round 15: the tables (cells15, December 2026).


def _section3_reordered(table: GTable, rng: random.Random) -> GTable:
    """Section 3's table with 法人或其他组织's five columns in another order, header and figures alike."""
    rows = [list(row) for row in table.rows]
    subs = list(range(5))
    while subs == sorted(subs):
        rng.shuffle(subs)
    rows[2] = [rows[2][k] for k in subs]
    for row in rows[3:]:
        figures = row[-7:]
        row[-7:] = [figures[0], *(figures[1 + k] for k in subs), figures[6]]
    return GTable(rows, table.n_cols)


def _section3_changed_page(
    report: TrueReport, rng: random.Random, change: Callable[[GTable], GTable]
) -> tuple[str, bytes]:
    """A page printed as pipe rows or one cell per line (blank-line separated), section 3's table
    `change`d as it is written (the draws of `rng` in the order each class's renderer made them)."""
    piped = rng.random() < 0.5
    sep = "\n" if piped else "\n\n"
    style = _style(rng, report, half_brackets=rng.random() < 0.85)
    base = _pipes_table(style, rng) if piped else _cell_blank_table(style, rng)

    def table(page: _Page, grid: GTable, section: int) -> None:
        base(page, change(grid) if section == 3 else grid, section)

    page = _Page()
    _head(page, report, style, rng, sep, chrome=False)
    _write_report(page, report, style, rng, sep, table)
    return _done(page)


def render_section3_column_order(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 3's table printed with 法人或其他组织's five columns in another order than the template's
    (科研机构 before 商业企业, 其他 before 法律服务机构), the header saying so, as pipe rows or one cell per
    line (labels sometimes wrapped: 商业 / 企业). Truth: every cell, in the column its header names."""
    return _section3_changed_page(report, rng, lambda grid: _section3_reordered(grid, rng))


def _with_share_column(table: GTable, report: TrueReport, rng: random.Random) -> GTable:
    """Section 3's table with a share column after 总计 (占比, 公开率): each row's total as a share of
    the requests received, printed 35% or 12.5%."""
    rows = [list(row) for row in table.rows]
    rows[0] = [*rows[0], KCell(rng.choice(["占比", "公开率", "比例"]), rowspan=3)]
    new = report.values.get(CellKey(3, "requests", "new_requests", "total")) or 1.0
    for row in rows[3:]:
        total = row[-1]
        share = 100 * report.values.get(total.key, 0.0) / new if isinstance(total, KCell) and total.key else 0.0
        text = f"{share:.1f}%" if rng.random() < 0.3 else f"{round(share)}%"
        row.append(KCell(text.replace(".0%", "%")))
    return GTable(rows, table.n_cols + 1)


def render_share_column(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 3's table printed with a share column after 总计 (占比: 35%, 12.5%), as pipe rows or one
    cell per line: no cell of the template. Truth: every cell."""
    return _section3_changed_page(report, rng, lambda grid: _with_share_column(grid, report, rng))


def render_unlabelled_first_row(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 2's first row printed without its label (汉台区's CMS: 规章's cell empty, its figures
    0 0 0 under the header), one cell per line or as pipe rows. Truth: every cell, 规章's too."""
    piped = rng.random() < 0.5
    sep = "\n" if piped else "\n\n"
    style = _style(rng, report, half_brackets=rng.random() < 0.85)
    base = _pipes_table(style, rng) if piped else _cell_blank_table(style, rng)
    blank = rng.choice([" ", "  ", "\u3000"])

    def table(page: _Page, grid: GTable, section: int) -> None:
        if section == 2:
            rows = [[KCell(blank) if c.text == "规章" else c for c in row] for row in grid.rows]
            grid = GTable(rows, grid.n_cols)  # type: ignore[arg-type]
        base(page, grid, section)

    page = _Page()
    _head(page, report, style, rng, sep, chrome=False)
    _write_report(page, report, style, rng, sep, table)
    return _done(page)


def render_short_row_apart(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """One cell per line (blank-line separated), some section-2 rows printing their last cell empty
    (a line of a space) and a figure of two digits or more before it, the change signed (洪江区's
    `35` / `+12` / ` `): each paragraph one figure, never a run cut to fill the row. Truth: every
    cell, the empty ones 0."""
    rows = [r for r in rows_for(report.template, 2) if len(columns_for(report.template, r.table_key)) > 1]
    for spec in rng.sample(rows, min(len(rows), rng.randint(1, 3))):
        keys = [
            CellKey(2, spec.table_key, spec.row_key, c.column_key) for c in columns_for(report.template, spec.table_key)
        ]
        last = keys[-1]
        report.values[last] = 0.0
        report.printed[last] = rng.choice([" ", "  ", "\u3000"])
        before = keys[-2]
        value = float(rng.randint(10, 99))
        if before.column_key == "change":
            value = value if rng.random() < 0.7 else -value
            report.printed[before] = f"+{int(value)}" if value > 0 else str(int(value))
        report.values[before] = value
    return _done(_page_cell_blank(report, rng))


def _indented_pipe_table(style: _Style, rng: random.Random) -> Callable[[_Page, GTable, int], None]:
    """One cell per line ending in ` |`, as a page's HTML source indents them (遂溪's mirror): every
    cell after a row's first behind tabs, a line of tabs between rows, and the row's last figure
    with its bar on the next line (`\t\t\t0` / `   | `)."""
    indent = rng.choice(["\t\t\t", "\t\t", "\t"])

    def write(page: _Page, table: GTable, section: int) -> None:
        for cells in _row_cells(table):
            page.add("\t\t\n")
            for i, c in enumerate(cells):
                page.add(indent if i else "")
                if c.figure and c.key:
                    page.fig(c.text, (c.key,))
                else:
                    page.add(_brackets(c.text, style))
                page.add("\n   | \n" if i == len(cells) - 1 and c.figure else "  | \n")

    return write


def render_indented_cell_pipes(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A page of one cell per line ending in ` |` with its HTML source's tabs kept (cells indented,
    lines of tabs between rows, a row's last bar on a line of its own). Truth: every cell."""
    style = _style(rng, report, half_brackets=rng.random() < 0.85)
    page = _Page()
    _head(page, report, style, rng, "\n", chrome=False)
    _write_report(page, report, style, rng, "\n", _indented_pipe_table(style, rng))
    return _done(page)


WILD_TEXT.update(
    {
        "section3-column-order": render_section3_column_order,
        "share-column": render_share_column,
        "unlabelled-first-row": render_unlabelled_first_row,
        "short-row-apart": render_short_row_apart,
        "indented-cell-pipes": render_indented_cell_pipes,
    }
)


# ---------------------------------------------------------------------------------------------
# Real pages, round 16 (wild16, December 2026): western regions, municipalities' districts and townships, the national
# statistics bureau's survey teams, bonded zones, governments' offices. One block, registered with WILD_TEXT.update.


def render_joined_bodies(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county's report says 我县 and joins two bodies with 和 where a county's one-character name could start (对以县政府和
    县政府办公室名义发布的规范性文件进行全面梳理; 在县委和县人民政府的坚强领导下: 和县 is a county of 安徽); the county is named
    only in its portal's name. Truth: every cell, the county's government (its own website under 我县)."""
    county = rng.choice(_PORTAL_COUNTIES)
    report.agency = county + "人民政府"
    body, sep = _report_body(report, rng)
    body = body.replace("我局", "我县")  # (how a drawn bureau speaks of itself: here a county)
    y = report.year
    joined = rng.choice(
        [
            f"{y}年,开展行政规范性文件专项清理工作,对以县政府和县政府办公室名义发布的规范性文件进行全面梳理。",
            f"{y}年,我县在县委和县人民政府的坚强领导下,全面推进决策公开、执行公开。",
        ]
    )
    said = [joined, f"我县在{county}人民政府门户网站累计公开各类政府信息{rng.randint(500, 3000)}条。"]
    return ".txt", (_period(y) + sep + _opening(body, sep, *said)).encode("utf-8")


def render_survey_team(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """The national statistics bureau's survey team of a province (国家统计局重庆调查总队2017年政府信息公开工作报告) or a city
    (国家统计局X调查队) reports: titled, or named only in the preface's 现公布…(以下简称“重庆总队”); the body says 总队 and 我队.
    Truth: every cell, the team's whole name."""
    province, city, _ = _region_of(report, rng)
    if rng.random() < 0.5:
        short = province.removesuffix("省") + "总队"
        report.agency = "国家统计局" + province.removesuffix("省") + "调查总队"
    else:
        short = city.removesuffix("市") + "调查队"
        report.agency = "国家统计局" + short
    body, sep = _report_body(report, rng)
    body = body.replace("我局", "我队")  # (how a drawn bureau speaks of itself: here a survey team)
    y = report.year
    title = rng.choice(
        [f"{report.agency}{y}年政府信息公开工作报告{sep}", f"{report.agency}{y}年度政府信息公开工作报告{sep}", ""]
    )
    preface = (
        f"根据《中华人民共和国政府信息公开条例》(以下简称《条例》)规定,现公布{report.agency}(以下简称“{short}”){y}年政府"
        f"信息公开工作报告。{_period(y)}"
    )
    said = f"{y}年,{short}认真贯彻落实《条例》,按照国家统计局的工作部署,有序开展政府信息公开工作。"
    return ".txt", (title + preface + sep + _opening(body, sep, said)).encode("utf-8")


# Bonded zones, whole (a place of their own after their city's short name, or none)
_BONDED_ZONES = (
    "天津港保税区",
    "大连保税区",
    "张家港保税区",
    "厦门象屿保税区",
    "郑州新郑综合保税区",
    "苏州工业园综合保税区",
)


def render_bonded_zone(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A bonded zone reports (天津港保税区2023年度政府信息公开工作报告, the title once or twice, a 综合保税区 too); the body says
    保税区 and 我区 under its 党委、管委会. Truth: every cell, the zone as printed (as a 开发区 publishes as itself)."""
    report.agency = rng.choice(_BONDED_ZONES)
    body, sep = _report_body(report, rng)
    body = body.replace("我局", "我区")  # (how a drawn bureau speaks of itself: here a zone)
    y = report.year
    title = f"{report.agency}{y}年度政府信息公开工作报告"
    head = rng.choice([title + " |\n" + title + sep, title + sep])
    said = "本年度保税区认真贯彻落实《中华人民共和国政府信息公开条例》,紧紧围绕保税区党委、管委会中心工作。"
    return ".txt", (head + _period(y) + sep + _opening(body, sep, said)).encode("utf-8")


def render_county_service_center(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A county's report says 我县, with no title, and names its contact, the county's 政务服务中心 (如对本报告有疑问,请联系吴起县
    政府政务服务中心), and its portal (报告的电子版可在吴起县人民政府门户网站下载). Truth: every cell, the county's government (the
    contact compiles the county's report, as a government's office does)."""
    county = rng.choice(_PORTAL_COUNTIES)
    report.agency = county + "人民政府"
    body, sep = _report_body(report, rng)
    body = body.replace("我局", "我县")  # (how a drawn bureau speaks of itself: here a county)
    y = report.year
    center = rng.choice([f"{county}政府政务服务中心", f"{county}政务服务中心"])
    preface = (
        f"根据《中华人民共和国政府信息公开条例》要求,特向社会公布{y}年政府信息公开工作年度报告。{_period(y)}如对本报告有疑问,"
        f"请联系{center}。报告的电子版可在{county}人民政府门户网站下载。"
    )
    said = f"{y}年,我县坚持以习近平新时代中国特色社会主义思想为指导,不断深化政府信息公开。"
    return ".txt", (preface + sep + _opening(body, sep, said)).encode("utf-8")


def render_review_last_year(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A city bureau's report, no title and no period sentence (the page begins at 一、总体情况), reviews last year's
    assessment (认真查摆2022年度我局政务公开情况, after a notice about it in 《》) before its own year's figures (2023年,我局主动
    公开文件63件); it names itself only in its own website (充分发挥天津市商务局网站作为我局政务公开第一平台的作用). Truth: every
    cell, the bureau, the report's year (the 年度 is the year it looks back on)."""
    _, city, _ = _region_of(report, rng)
    report.agency = city + rng.choice(["商务局", "统计局", "审计局"])
    body, sep = _report_body(report, rng)
    y = report.year
    said = [
        f"一是加强组织领导。深入落实市政府办公厅《关于{y - 1}年度政务公开第三方评估反馈意见整改工作提示》要求,"
        f"认真查摆{y - 1}年度我局政务公开情况,补充调整本单位政府信息公开专栏。",
        f"二是积极做好主动公开。{y}年,我局主动公开文件{rng.randint(20, 90)}件。",
        f"三是规范答复依申请公开。{y}年,我局受理政府信息依申请公开事项{rng.randint(5, 40)}件,全部依法依规答复完毕。",
        f"四是完善公开平台和渠道。充分发挥{report.agency}网站作为我局政务公开第一平台的作用。",
    ]
    return ".txt", _opening(body, sep, *said).encode("utf-8")


WILD_TEXT.update(
    {
        "joined-bodies": render_joined_bodies,
        "survey-team": render_survey_team,
        "bonded-zone": render_bonded_zone,
        "county-service-center": render_county_service_center,
        "review-last-year": render_review_last_year,
    }
)


# ---------------------------------------------------------------------------------------------
# Real pages, round 16: real markup (htmlreal16, December 2026). The report as an HTML page whose CMS editor left
# characters a browser does not draw in its cells and paragraphs. One block, registered with WILD_TEXT.update.

# UEditor's fill character (U+200B; U+FEFF under IE 6) stays in saved content where the caret stood; Word and WPS
# pastes bring word joiners and soft hyphens. Raw, or as the numeric references some editors write.
_FILL_CHARS = ("\u200b", "\u200b", "\u200b", "\ufeff", "\u2060", "\u00ad", "\u200d")


def _with_fill(text: str, rng: random.Random) -> str:
    """text with one to three invisible characters where a caret could have stood: its start, its end, inside."""
    for _ in range(rng.randint(1, 3)):
        at = rng.choice([0, len(text), rng.randint(0, len(text))])
        text = text[:at] + rng.choice(_FILL_CHARS) + text[at:]
    return text


def render_editor_fill_chars(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """An HTML page (the site's chrome or the article alone) whose figure cells, labels and paragraphs carry invisible
    characters (U+200B, U+FEFF, U+2060, U+00AD, U+200D), raw or as &#8203;-style references, in about half of them.
    Truth: every cell, the agency, the year (a browser shows the page without them)."""
    for key, value in report.values.items():
        if value != int(value) and key not in report.printed:  # a fee to the yuan in 万元: all six decimals
            report.printed[key] = f"{value:.6f}".rstrip("0").rstrip(".")
    lay = layout(report, Damage(), rng)
    share = rng.uniform(0.3, 0.8)
    blocks: list[str | GTable] = []
    for block in lay.blocks:
        if isinstance(block, str):
            blocks.append(_with_fill(block, rng) if rng.random() < share else block)
            continue
        rows = [
            [GCell(_with_fill(c.text, rng), c.rowspan, c.colspan, c.figure) if rng.random() < share else c for c in row]
            for row in block.rows
        ]
        blocks.append(GTable(rows, block.n_cols))
    lay.blocks = blocks
    page = render_html(lay, Damage(), chrome=rng.random() < 0.5)
    if rng.random() < 0.5:  # the editor wrote them as numeric character references
        page = "".join(f"&#{ord(ch)};" if ch in _FILL_CHARS and rng.random() < 0.7 else ch for ch in page)
    return ".html", page.encode("utf-8")


# Markup a figure cell or label carries around its text, drawn with private-use marks in the layout's text (the HTML
# renderer escapes text) and replaced by the markup after rendering.
_OPEN, _CLOSE = "\ue000", "\ue001"


def _marked_page(report: TrueReport, rng: random.Random, mark: Callable[[str, bool], str]) -> str:
    """The report as an HTML page (chrome or not) whose cells' text `mark` rewrote (text, is a figure) → text."""
    for key, value in report.values.items():
        if value != int(value) and key not in report.printed:  # a fee to the yuan in 万元: all six decimals
            report.printed[key] = f"{value:.6f}".rstrip("0").rstrip(".")
    lay = layout(report, Damage(), rng)
    lay.blocks = [
        b
        if isinstance(b, str)
        else GTable(
            [[GCell(mark(c.text, c.figure), c.rowspan, c.colspan, c.figure) for c in row] for row in b.rows], b.n_cols
        )
        for b in lay.blocks
    ]
    return render_html(lay, Damage(), chrome=rng.random() < 0.5)


def render_tracked_changes(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Word's tracked changes left in the pasted table: in some figure cells the figure typed first, deleted
    (<del cite="mailto:…" datetime="…">7</del>), before the figure typed over it (<ins …>12</ins>, or plain), and in
    some labels a word deleted beside its replacement. A browser strikes the deleted text through. Truth: the
    figures after the revision, every cell."""
    author = rng.choice(["Administrator", "lenovo", "办公室", "USER"])
    stamp = f"{report.year + 1}-01-{rng.randint(10, 28)}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    attrs = f' cite="mailto:{author}" datetime="{stamp}"'
    share = rng.uniform(0.1, 0.4)

    def mark(text: str, figure: bool) -> str:
        if not text or rng.random() >= share:
            return text
        if figure:
            old = str(rng.randint(0, 99))
            new = f"{_OPEN}ins{_CLOSE}{text}{_OPEN}/ins{_CLOSE}" if rng.random() < 0.6 else text
            return f"{_OPEN}del{_CLOSE}{old}{_OPEN}/del{_CLOSE}{new}"
        at = rng.randint(0, len(text))
        return f"{text[:at]}{_OPEN}del{_CLOSE}{rng.choice(['情况', '数量', '其中'])}{_OPEN}/del{_CLOSE}{text[at:]}"

    page = _marked_page(report, rng, mark)
    for tag in ("del", "ins"):
        page = page.replace(f"{_OPEN}{tag}{_CLOSE}", f"<{tag}{attrs}>").replace(f"{_OPEN}/{tag}{_CLOSE}", f"</{tag}>")
    return ".html", page.encode("utf-8")


def render_hidden_text(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Word's hidden text kept in the pasted table: runs styled display:none;mso-hide:all (or one of the two) inside
    figure cells and labels, holding a figure or a note (（待核）, 原为12). A browser does not draw them. Truth: every
    cell, as drawn."""
    style = rng.choice(["display:none;mso-hide:all", "mso-hide:all", "display:none", "DISPLAY: none"])
    share = rng.uniform(0.1, 0.4)

    def mark(text: str, figure: bool) -> str:
        if not text or rng.random() >= share:
            return text
        hidden = rng.choice([str(rng.randint(0, 99)), "（待核）", f"原为{rng.randint(0, 99)}"])
        at = rng.choice([0, len(text)])
        return f"{text[:at]}{_OPEN}{hidden}{_CLOSE}{text[at:]}"

    page = _marked_page(report, rng, mark)
    page = page.replace(_OPEN, f'<span style="{style}">').replace(_CLOSE, "</span>")
    return ".html", page.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Real pages, round 16: the tables (cells16, December 2026).


def _with_prior_year_column(table: GTable, rng: random.Random) -> GTable:
    """Section 3's table with one more count column after 总计 (上年同期, 上年总计): each row's
    figure for the year before, a whole number no header of the template names."""
    rows = [list(row) for row in table.rows]
    rows[0] = [*rows[0], KCell(rng.choice(["上年同期", "上年总计", "去年同期"]), rowspan=3)]
    for row in rows[3:]:
        row.append(KCell(str(rng.choice([0, 0, rng.randint(1, 60)]))))
    return GTable(rows, table.n_cols + 1)


def render_prior_year_column(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 3's table printed with the year before's figure after 总计 (上年同期 | 12), as pipe rows
    or one cell per line: every row prints eight figures for seven cells. Truth: every cell (the
    parser keeps each row's first seven, unresolved, and must say which rows printed more)."""
    return _section3_changed_page(report, rng, lambda grid: _with_prior_year_column(grid, rng))


# The column headers a PDF prints in narrow columns, one character a line when pulled to text.
_VERTICAL_HEADERS = frozenset(
    {
        "自然人",
        "法人或其他组织",
        "总计",
        "商业",
        "企业",
        "科研",
        "机构",
        "社会",
        "公益",
        "组织",
        "法律",
        "服务",
        "其他",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    }
)


def render_header_chars_per_line(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """One cell per line (blank-line separated), the tables' column headers printed one character a
    line (自 / 然 / 人, 法 / 人 / 或 / 其 / 他 / 组 / 织, 结 / 果 / 维 / 持), as PDF-to-text prints a narrow
    column's header. Truth: every cell."""
    text = _page_cell_blank(report, rng).text()
    paragraphs = ["\n".join(p) if p.strip() in _VERTICAL_HEADERS else p for p in text.split("\n\n")]
    return ".txt", "\n\n".join(paragraphs).encode("utf-8")


_OUTCOMES = ("upheld", "corrected", "other_result", "pending", "total")
_OUTCOME_HEADER = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |"


def render_section4_split_tables(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 4 printed as two tables, 行政复议's five cells and then 行政诉讼's ten under their two
    headers (未经复议直接起诉 | 复议后起诉), or as three, one a proceeding, each with its outcome header
    and one row of figures, as pipe rows. Truth: every cell."""
    text = _page_cell_pipe(report, rng).text()

    def row(proceeding: str) -> str:
        figures = []
        for column in _OUTCOMES:
            key = CellKey(4, "review_litigation", proceeding, column)
            figures.append(report.printed.get(key) or f"{report.values.get(key, 0.0):g}")
        return " | ".join(figures) + " |"

    review, direct, after = (
        row("administrative_review"),
        row("litigation_without_review"),
        row("litigation_after_review"),
    )
    if rng.random() < 0.5:
        tables = [
            f"行政复议 |\n{_OUTCOME_HEADER}\n{review}",
            f"行政诉讼 |\n未经复议直接起诉 | 复议后起诉 |\n{_OUTCOME_HEADER} {_OUTCOME_HEADER}\n{direct} {after}",
        ]
    else:
        direct_label, after_label = rng.choice(
            [("行政诉讼(未经复议直接起诉)", "行政诉讼(复议后起诉)"), ("未经复议直接起诉", "复议后起诉")]
        )
        tables = [
            f"行政复议 |\n{_OUTCOME_HEADER}\n{review}",
            f"{direct_label} |\n{_OUTCOME_HEADER}\n{direct}",
            f"{after_label} |\n{_OUTCOME_HEADER}\n{after}",
        ]
    start = text.index("四、政府信息公开行政复议")
    end = text.index("\n", start) + 1
    stop = text.index("五、", end)
    return ".txt", (text[:end] + "\n".join(tables) + "\n" + text[stop:]).encode("utf-8")


WILD_TEXT.update(
    {
        "editor-fill-chars": render_editor_fill_chars,
        "tracked-changes": render_tracked_changes,
        "hidden-text": render_hidden_text,
        "prior-year-column": render_prior_year_column,
        "header-chars-per-line": render_header_chars_per_line,
        "section4-split-tables": render_section4_split_tables,
    }
)


# ---------------------------------------------------------------------------------------------
# Real pages, round 19: section 2 as lines (sec2lines19, December 2026). Section 2 printed not as a
# table but as a line a row. One block, registered with WILD_TEXT.update.

# The words a line prints for each column: the template's label, shortened as pages shorten it.
_LINE_WORDS: dict[str, tuple[str, ...]] = {
    "issued": ("本年制发件数", "本年制发", "本年新制发", "制发"),
    "repealed": ("本年废止件数", "本年废止", "本年新废止", "废止"),
    "in_force": ("现行有效件数", "现行有效"),
    "amount_10k_yuan": ("本年收费金额", "收费金额", "本年收费金额（单位：万元）"),
    "newly_made": ("本年新制作数量", "本年新制作", "新制作"),
    "newly_published": ("本年新公开数量", "本年新公开", "新公开"),
    "total_published": ("对外公开总数量", "对外公开"),
    "prior_year_items": ("上一年项目数量", "上一年项目"),
    "change": ("本年增/减", "增/减"),
    "procurement_items": ("采购项目数量", "采购项目"),
    "procurement_amount": ("采购总金额",),
}
_LINE_DECISIONS = {"2021": ("本年处理决定数量", "本年处理决定"), "2019": ("处理决定数量", "处理决定")}


def _line_unit(column: str, rng: random.Random) -> str:
    if column == "amount_10k_yuan":
        return rng.choice(["万元", "万元", ""])
    if column == "procurement_amount":
        return rng.choice(["元", ""])
    if column == "change":
        return rng.choice(["", "项"])
    return rng.choice(["件", "项", "件", ""])


def render_section2_lines(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """Section 2 printed as a line a row instead of its tables (规章：本年新制发0件，本年新废止0件，现行有效0件。 /
    行政许可：本年处理决定数量125件 / 行政事业性收费：本年收费金额0万元), both templates: each figure after its column's
    word (the label or a short form), or a row that lost its grid with the words between its figures (规章 本年制发件数 0
    本年废止件数 0 …), or its label on a line of its own and its words and figures on the next, or no words at all
    (规章：0件，1件，12件。); 件/项/万元/元 or no unit, full- or half-width colons and
    commas, an enumerator or 第二十条's heading before rows, figures 0 and large. Now and then only 第二十条第（一）项's
    rows are lines (the rest the page's table), its two rows share a paragraph, or a line with words leaves out one
    column. Truth: every cell printed; a column a line does not name is missing."""
    t, v = report.template, report.values
    for key in [k for k in v if k.section == 2 and k.column_key not in ("change", "amount_10k_yuan")]:
        if rng.random() < 0.15:
            v[key] = float(rng.choice([rng.randint(1000, 999999), rng.randint(100, 999)]))
    base = rng.choice([_page_cell_pipe, _page_cell_blank, _page_pipes])
    text = base(report, rng).text()
    wide = rng.random() < 0.6
    # Half-width commas with a space after them: `0,123,5` would be one grouped figure to any reader.
    colon, comma, stop = ("：", "，", rng.choice(["。", "；", ""])) if wide else (":", ", ", rng.choice([".", ";", ""]))
    form = rng.choice(["words", "words", "words", "grid-lost", "bare", "label-apart"])
    enumerate_rows = rng.choice(["", "（一）", "1."])
    headings = rng.random() < 0.3
    only_first = rng.random() < 0.35  # 第二十条第（一）项 as lines, the other items the page's table
    shared = form in ("words", "bare") and rng.random() < 0.2  # 规章 and 行政规范性文件 in one paragraph
    lines: list[str] = []
    tables = list(dict.fromkeys(r.table_key for r in rows_for(t, 2)))
    for table_key in tables[:1] if only_first else tables:
        specs = [r for r in rows_for(t, 2) if r.table_key == table_key]
        if headings:
            group = specs[0].group_label
            lines.append(group if wide else group.replace("（", "(").replace("）", ")"))
        row_lines: list[str] = []
        for spec in specs:
            keys = [CellKey(2, table_key, spec.row_key, c.column_key) for c in columns_for(t, table_key)]
            worded = form in ("words", "label-apart")
            dropped = rng.choice(keys) if worded and len(keys) > 1 and rng.random() < 0.15 else None
            pieces: list[str] = []
            for key in keys:
                figure = _fmt(v[key], key, rng, units=False) + _line_unit(key.column_key, rng)
                if key == dropped:
                    del v[key]
                    continue
                word = rng.choice(_LINE_DECISIONS[t] if key.column_key == "decisions" else _LINE_WORDS[key.column_key])
                if worded:
                    pieces.append(word + rng.choice(["", "", "为", " "]) + figure)
                elif form == "grid-lost":
                    pieces.append(f"{word} {figure}")
                else:
                    pieces.append(figure)
            number = len(lines) + len(row_lines)
            prefix = ""
            if enumerate_rows == "（一）":
                prefix = f"（{'一二三四五六七八九十'[number % 10]}）"
                prefix = prefix if wide else prefix.replace("（", "(").replace("）", ")")
            elif enumerate_rows:
                prefix = f"{number + 1}."
            if form == "grid-lost":
                row_lines.append(f"{prefix}{spec.row_label} " + " ".join(pieces))
            elif form == "label-apart":  # the label on a line of its own, its words and figures on the next
                row_lines.extend([f"{prefix}{spec.row_label}", comma.join(pieces) + stop])
            else:
                row_lines.append(f"{prefix}{spec.row_label}{colon}" + comma.join(pieces) + stop)
        if shared and table_key == "art20_1":
            row_lines = ["；".join(line.rstrip("。；;.") for line in row_lines) + stop]
        lines.extend(row_lines)
    start = text.index(HEADINGS[2])
    end = text.index("\n", start) + 1
    stop_at = text.index(HEADINGS[3], end)
    if only_first:  # the page's table from 第二十条第（五）项's heading line on
        item5 = re.compile(r"第二十条\s*第?\s*[(（]五[)）]项").search(text, end)
        assert item5 is not None
        stop_at = text.rfind("\n", 0, item5.start()) + 1
    sep = "\n\n" if base is _page_cell_blank else "\n"
    return ".txt", (text[:end] + sep.lstrip("\n") + sep.join(lines) + sep + text[stop_at:]).encode("utf-8")


WILD_TEXT.update(
    {
        "section2-lines": render_section2_lines,
    }
)


# ---------------------------------------------------------------------------------------------
# Real files, round 19: Word's own markup (docxreal19, December 2026). The report as the .docx Word or WPS saves
# when an agency edits last year's: tracked changes, content controls, fields and smart tags, hidden text, a body
# imported from an HTML part, the report inside a layout table, the title in a text box. The renderers are in
# tests/wild_docx.py. One block, registered with WILD_TEXT.update.
WILD_TEXT.update(
    {
        "docx-tracked-changes": render_docx_tracked_changes,
        "docx-content-controls": render_docx_content_controls,
        "docx-fields-smart-tags": render_docx_fields_smart_tags,
        "docx-hidden-text": render_docx_hidden_text,
        "docx-alt-chunk": render_docx_alt_chunk,
        "docx-layout-table": render_docx_layout_table,
        "docx-text-box-title": render_docx_text_box_title,
    }
)


# ---------------------------------------------------------------------------------------------
# Real files, round 19: PDF prints (pdfreal19, December 2026). The report printed to PDF (tests.generator.render_pdf)
# with what real prints carry besides the report: a text layer whose ToUnicode map names radicals instead of the
# ideographs drawn, a watermark across the tables, characters drawn twice for bold. One block, registered with
# WILD_TEXT.update.


def _pdf_print_layout(report: TrueReport, rng: random.Random) -> Layout:
    """The report's layout for a PDF print, fees to the yuan in 万元 printed with all six decimals."""
    for key, value in report.values.items():
        if value != int(value) and key not in report.printed:
            report.printed[key] = f"{value:.6f}".rstrip("0").rstrip(".")
    return layout(report, Damage(), rng)


@cache
def _radical_forms() -> dict[str, str]:
    """Ideograph → the code point a producer writes for it in the ToUnicode map, where that is a Kangxi radical
    (U+2F00–U+2FD5), a radicals-supplement form (U+2E80–U+2EF3) or a compatibility ideograph (U+F900–U+FAFF): the
    font maps several code points to one glyph, and a producer that writes each glyph back to the lowest code point
    mapped to it (WPS, some Word prints, PDFBox's embedder before its fix) writes ⾏ for 行, ⺠ for 民, ⻚ for 页."""
    from fontTools.ttLib import TTFont

    from tests.fonts import cjk_ttf

    cmap = TTFont(str(cjk_ttf())).getBestCmap()
    first: dict[str, int] = {}
    for code in sorted(cmap):
        first.setdefault(cmap[code], code)
    radical = range(0x2E80, 0x2FE0)
    compatibility = range(0xF900, 0xFB00)
    return {
        chr(code): chr(first[glyph])
        for code, glyph in cmap.items()
        if 0x4E00 <= code <= 0x9FFF and (first[glyph] in radical or first[glyph] in compatibility)
    }


def _with_radicals(text: str) -> str:
    forms = _radical_forms()
    return "".join(forms.get(ch, ch) for ch in text)


def render_pdf_radical_forms(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A PDF print (ruled, or drawn without lines) whose text layer names radicals and compatibility ideographs
    instead of the ideographs its glyphs draw: ⾏政许可, ⼈⺠政府, ⼀、总体情况, 第⼆⼗条, ⽆法提供 (a viewer shows the
    report; copying its text gives these). Truth: every cell, the agency, the year."""
    lay = _pdf_print_layout(report, rng)
    lay.blocks = [
        _with_radicals(b)
        if isinstance(b, str)
        else GTable(
            [[GCell(_with_radicals(c.text), c.rowspan, c.colspan, c.figure) for c in row] for row in b.rows], b.n_cols
        )
        for b in lay.blocks
    ]
    return ".pdf", render_pdf(lay, ruled=rng.random() < 0.7)


def _tiled_watermark(
    words: str,
    size: float,
    grey: float,
    alpha: float,
    xs: tuple[int, int],
    ys: tuple[int, int],
    angle: float | None,
) -> Callable[[Any, Any], None]:
    """A page painter drawing `words` in a grid over the page (from xs[0], ys[0], every xs[1], ys[1]
    points), turned by `angle` degrees about each start, or laid flat (None)."""

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, size)
        canvas.setFillGray(grey)
        canvas.setFillAlpha(alpha)
        width, height = doc.pagesize
        for x in range(xs[0], int(width), xs[1]):
            for y in range(ys[0], int(height), ys[1]):
                if angle is None:
                    canvas.drawString(x, y, words)
                    continue
                canvas.saveState()
                canvas.translate(x, y)
                canvas.rotate(angle)
                canvas.drawString(0, 0, words)
                canvas.restoreState()
        canvas.restoreState()

    return on_page


def render_pdf_watermark(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A PDF print with a text watermark tiled over every page, across the tables: 仅供参考, the agency's name or
    its site's, drawn diagonally (30°–60° either way) in light grey, half transparent or less, as Word's and WPS's
    watermarks and OA systems' stamps print. Truth: every cell, the agency, the year."""
    lay = _pdf_print_layout(report, rng)
    words = rng.choice(["仅供参考", report.agency, f"{report.agency}政务公开", "内部资料 注意保存", "政府信息公开专栏"])
    angle = rng.choice([1, -1]) * rng.uniform(30, 60)
    size = rng.choice([20, 28, 36, 48])
    grey, alpha = rng.uniform(0.6, 0.85), rng.uniform(0.15, 0.5)
    step_x, step_y = rng.randint(180, 320), rng.randint(120, 220)

    on_page = _tiled_watermark(words, size, grey, alpha, (40, step_x), (40, step_y), angle)
    return ".pdf", render_pdf(lay, ruled=rng.random() < 0.7, on_page=on_page)


def render_pdf_watermark_flat(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A PDF print with a text watermark laid flat (Word's and WPS's 水平 layout) in rows over every page, across the
    tables: 仅供参考, the agency's name or its site's, in light grey, half transparent (or flattened to an opaque light
    grey, as a print without transparency gives it). Truth: every cell, the agency, the year."""
    lay = _pdf_print_layout(report, rng)
    words = rng.choice(["仅供参考", report.agency, f"{report.agency}政务公开", "内部资料 注意保存", "政府信息公开专栏"])
    size = rng.choice([20, 28, 36, 48])
    grey = rng.uniform(0.6, 0.9)
    alpha = rng.uniform(0.15, 0.5) if rng.random() < 0.5 else 1.0
    step_x, step_y = rng.randint(220, 360), rng.randint(90, 200)

    on_page = _tiled_watermark(words, size, grey, alpha, (30, step_x), (40, step_y), angle=None)
    return ".pdf", render_pdf(lay, ruled=rng.random() < 0.7, on_page=on_page)


def render_pdf_fake_bold(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A PDF print whose bold text is faked by drawing it twice, the second copy a fraction of a point to the right
    (and sometimes lower), as printers and OA systems do for a font without a bold face: a share of the title,
    headings, labels and figures printed twice. Read naively: 行行政政许许可可, 1212. Truth: every cell, the agency,
    the year."""
    from reportlab.pdfgen.canvas import Canvas

    lay = _pdf_print_layout(report, rng)
    share = rng.uniform(0.3, 1.0)
    dx, dy = rng.choice([0.2, 0.3, 0.4, 0.6]), rng.choice([0.0, 0.0, 0.2, 0.3])

    class FakeBold(Canvas):
        def drawText(self, text: Any) -> None:
            super().drawText(text)
            if rng.random() < share:
                self.saveState()
                self.translate(dx, -dy)
                super().drawText(text)
                self.restoreState()

    return ".pdf", render_pdf(lay, ruled=rng.random() < 0.7, canvasmaker=FakeBold)


# The PDF print classes of this block: files, not text (tests/test_wild_text.py reads the text classes' files as text).
PDF_PRINTS = ("pdf-radical-forms", "pdf-watermark", "pdf-watermark-flat", "pdf-fake-bold")

WILD_TEXT.update(
    {
        "pdf-radical-forms": render_pdf_radical_forms,
        "pdf-watermark": render_pdf_watermark,
        "pdf-watermark-flat": render_pdf_watermark_flat,
        "pdf-fake-bold": render_pdf_fake_bold,
    }
)


# ---------------------------------------------------------------------------------------------
# Real files, round 20: what the DOCX round left (docxleft20, December 2026). A template's content controls left
# showing their placeholder, text hidden through a style, figures in text boxes over their cells. The renderers are
# in tests/wild_docx.py. One block, registered with WILD_TEXT.update.
WILD_TEXT.update(
    {
        "docx-placeholder-text": render_docx_placeholder_text,
        "docx-style-hidden": render_docx_style_hidden,
        "docx-cell-text-box": render_docx_cell_text_box,
    }
)


_NUMBER = re.compile(r"[\d.,%-]+")
# A colour operator in a text object's code (gray, RGB, CMYK fill), as reportlab writes them.
_FILL_OP = re.compile(r"(?<![^ ])(?:-?[\d.]+ ){1,4}(?:g|rg|k)(?![^ ])")


def render_pdf_grey_text(report: TrueReport, rng: random.Random) -> tuple[str, bytes]:
    """A PDF print with no watermark whose own text is in part printed light grey (60%–95% white, the colours a flat
    watermark's rule looks at) or semi-transparent: a web page printed with CSS greying its text (#999, #aaa: all of
    it), a template greying the figures (or the labels: a header band's), notes, headings and the issuing office's
    line in grey, or a share of everything. Truth: every cell, the agency, the year (grey text is the report's)."""
    from reportlab.pdfgen.canvas import Canvas

    lay = _pdf_print_layout(report, rng)
    mode = rng.choice(["web", "figures", "labels", "paragraphs", "share"])
    share = 1.0 if mode == "web" else rng.uniform(0.3, 1.0)
    if mode == "web":
        grey, alpha = rng.choice([0x99, 0xAA, 0xBB, 0xCC]) / 255, rng.choice([1.0, 1.0, 0.8])
    else:
        grey, alpha = rng.choice([(rng.uniform(0.6, 0.95), 1.0), (0.0, rng.uniform(0.3, 0.9))])

    def greyed(text: str | None) -> bool:
        # A table's short cell is drawn as a string (its text known); a paragraph (a block, or a long label) is not.
        if mode == "figures":
            return text is not None and _NUMBER.fullmatch(text) is not None and rng.random() < share
        if mode == "labels":
            return (text is None or _NUMBER.fullmatch(text) is None) and rng.random() < share
        if mode == "paragraphs":
            return text is None and rng.random() < share
        return rng.random() < share

    class Grey(Canvas):
        drawing: str | None = None

        def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
            self.drawing = text
            super().drawString(x, y, text, *args, **kwargs)
            self.drawing = None

        def drawText(self, text: Any) -> None:
            if not greyed(self.drawing):
                super().drawText(text)
                return
            self.saveState()
            self.setFillGray(grey)
            if alpha < 1:
                self.setFillAlpha(alpha)
            # The text's own fill (a paragraph sets black) gives way to the grey.
            self._code.append(_FILL_OP.sub("", str(text.getCode())))
            self.restoreState()

    return ".pdf", render_pdf(lay, ruled=rng.random() < 0.7, canvasmaker=Grey)


PDF_PRINTS += ("pdf-grey-text",)

WILD_TEXT.update({"pdf-grey-text": render_pdf_grey_text})

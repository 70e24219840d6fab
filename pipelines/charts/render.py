"""Charts an analyst would rather look at than read (`xxgk report`): PNGs and an HTML page.

The figures come from the marts and quality tables through the same read-only connection as
`xxgk query`. Chinese labels need a CJK font: the first one matplotlib finds (Debian's
fonts-wqy-zenhei or fonts-noto-cjk); without one the page says so and the charts show boxes.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt
import polars as pl
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from models import vocab
from pipelines.warehouse.query import connect_read_only
from pipelines.warehouse.sqlfiles import sql_file

_CJK_FONTS = (
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Droid Sans Fallback",
    "SimHei",
)
OUTCOMES = [
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("refused", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other_handling", "其他处理"),
]
REASONS = [
    ("refused_state_secret", "国家秘密"),
    ("refused_prohibited_by_law", "法律法规禁止"),
    ("refused_security_stability", "三安全一稳定"),
    ("refused_third_party_rights", "第三方权益"),
    ("refused_internal_affairs", "内部事务"),
    ("refused_process_information", "过程性信息"),
    ("refused_enforcement_case_file", "执法案卷"),
    ("refused_administrative_query", "行政查询"),
    ("not_held", "不掌握相关信息"),
]


@dataclass(frozen=True)
class Chart:
    file: str
    title: str
    caption: str


def cjk_font() -> str | None:
    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in available), None)


def _style() -> str | None:
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # not a warning per glyph lookup
    font = cjk_font()
    plt.rcParams.update(
        {
            "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 110,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return font


# How each report was read (reports.reading), in the charts' language.
READINGS = {
    vocab.Reading.AS_PRINTED: "按原样读取",
    vocab.Reading.REPAIRED: "按规则重排",
    vocab.Reading.AMBIGUOUS: "有歧义（择一）",
    vocab.Reading.UNRESOLVED: "无法自洽",
    vocab.Reading.NO_FIGURES: "无数字",
    vocab.Reading.UNREADABLE_CELLS: "有无法识读的格",
}
_READING_COLOURS = ["#4c9a2a", "#2a6f9a", "#d9a400", "#c0392b", "#8e8e8e", "#9a4c8e"]


def _save(fig: Figure, out: Path, name: str) -> None:
    fig.tight_layout()
    fig.savefig(out / name)
    plt.close(fig)


def _whole_numbers(ax: Axes) -> None:
    """Counts of applications and reports: ticks at whole numbers only."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def applications_by_year_figure(years: pl.DataFrame) -> Figure:
    """Stacked outcomes per year, each bar saying how many agencies it sums (a different set each
    year) and how many reports were left out as unresolved."""
    fig, ax = plt.subplots(figsize=(8, 4.8))
    labels = [
        f"{y}\n{n}个机关" + (f"\n（另{k}份未计入）" if k else "")
        for y, n, k in years.select("year", "agencies", "left_out").iter_rows()
    ]
    bottom = [0] * years.height
    for key, label in OUTCOMES:
        values = [v or 0 for v in years.get_column(key).to_list()]
        ax.bar(labels, values, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(labels, [v or 0 for v in years.get_column("received")], "ko", label="本年新收申请")
    _whole_numbers(ax)
    ax.set_ylabel("申请数（件）")
    ax.set_title("依申请公开：各年收到的申请与办理结果（各年机关数不同）")
    ax.legend(ncols=2, fontsize=8, frameon=False)
    return fig


def _outcomes_by_year(years: pl.DataFrame, out: Path) -> Chart:
    _save(applications_by_year_figure(years), out, "applications_by_year.png")
    return Chart(
        "applications_by_year.png",
        "各年申请与办理结果 · Applications and outcomes by year",
        "The agencies of each year together (each bar says how many: the set differs from year to year, so "
        "compare bars with care), one counted report per agency-year, stacked by outcome; the dots are new "
        "applications received. Reports whose figures could not be made consistent (reading unresolved), "
        "that print no figures, or with cells that print no figure are left out, and counted under the year.",
    )


def _reasons_by_agency(agencies: pl.DataFrame, out: Path) -> Chart:
    top = (
        agencies.with_columns(pl.sum_horizontal([pl.col(k).fill_null(0) for k, _ in REASONS]).alias("n"))
        .sort("n", descending=True)
        .head(15)
    )
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.45 * top.height + 1.5)))
    names = top.get_column("agency").to_list()[::-1]
    left = [0] * top.height
    for key, label in REASONS:
        values = [v or 0 for v in top.get_column(key).to_list()[::-1]]
        if any(values):
            ax.barh(names, values, left=left, label=label)
            left = [a + b for a, b in zip(left, values, strict=True)]
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("申请数（件）")
    ax.set_title("不予公开与不掌握：按机关和理由")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    _save(fig, out, "refusal_reasons_by_agency.png")
    return Chart(
        "refusal_reasons_by_agency.png",
        "按机关的不予公开理由 · Refusal reasons by agency",
        "The agencies with most refusals (all years, counted reports whose reading is not unresolved), by the "
        "template's reason: 不予公开 reasons and 本机关不掌握相关政府信息.",
    )


def quality_figure(quality: pl.DataFrame, findings: pl.DataFrame) -> Figure:
    """Reports by how they were read, and reports failing each rule: counts, in Chinese."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 4))
    readings = list(vocab.Reading)  # a reading without a label here fails loudly, not silently unshown
    counts = [quality.filter(pl.col("reading") == r).height for r in readings]
    left.bar([READINGS[r] for r in readings], counts, color=_READING_COLOURS[: len(readings)])
    left.set_title("各报告的读取方式")
    left.set_ylabel("报告数（份）")
    left.tick_params(axis="x", labelsize=7, labelrotation=20)
    rules = vocab.values(vocab.FindingRule)
    failing = [findings.filter(pl.col("rule") == r).get_column("source_sha256").n_unique() for r in rules]
    warnings = set(vocab.FindingRule) - set(vocab.CONSISTENCY_RULES)
    right.bar(rules, failing, color=["#d9a400" if r in warnings else "#c0392b" for r in rules])
    right.set_title("未通过各规则的报告数（黄：提示）")
    right.set_ylabel("报告数（份）")
    right.set_ylim(0, max(1, max(failing)) * 1.2)
    for ax in (left, right):
        _whole_numbers(ax)
    return fig


def _quality(quality: pl.DataFrame, findings: pl.DataFrame, out: Path) -> Chart:
    _save(quality_figure(quality, findings), out, "data_quality.png")
    return Chart(
        "data_quality.png",
        "数据质量 · Data quality",
        "Left: reports read as printed, re-placed by the rules, guessed among equal placements, not made "
        "consistent, without figures, or with cells that print no figure. Right: reports failing each "
        "consistency rule C1–C7 (red) and with each warning (yellow: YOY outliers, M1 manifest, A1 page against "
        "attachment, D1 another report of the agency-year, U1 unreadable cell).",
    )


def render_report(warehouse: Path, out: Path) -> list[Chart]:
    """Write the charts and index.html into `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    con = connect_read_only(warehouse)
    try:
        years = con.sql(sql_file("charts/outcomes_by_year.sql")).pl()
        agencies = con.sql(sql_file("charts/refusals_by_agency.sql")).pl()
        quality = con.sql("SELECT * FROM quality").pl()
        findings = con.sql("SELECT * FROM findings").pl()
        summary = con.sql(sql_file("charts/reports_summary.sql")).pl()
    finally:
        con.close()
    font = _style()
    charts = [_outcomes_by_year(years, out), _reasons_by_agency(agencies, out), _quality(quality, findings, out)]
    (out / "index.html").write_text(_page(charts, summary, font), encoding="utf-8")
    return charts


def _page(charts: list[Chart], summary: pl.DataFrame, font: str | None) -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in summary.iter_rows()
    )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in summary.columns)
    figures = "".join(
        f'<figure><img src="{c.file}" alt="{html.escape(c.title)}"><figcaption><b>{html.escape(c.title)}.</b> '
        f"{html.escape(c.caption)}</figcaption></figure>"
        for c in charts
    )
    note = (
        ""
        if font
        else "<p><b>No CJK font was found:</b> Chinese labels in the charts show as boxes "
        "(install fonts-wqy-zenhei).</p>"
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告 · xxgk-warehouse</title>
<style>body{{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}} img{{max-width:100%}}
table{{border-collapse:collapse;font-size:13px}} td,th{{border:1px solid #ccc;padding:3px 6px}}
figure{{margin:2em 0}}</style></head>
<body><h1>政府信息公开工作年度报告</h1><p>{summary.height} reports · generated {stamp}</p>{note}{figures}
<h2>Reports</h2><table><tr>{head}</tr>{rows}</table></body></html>
"""

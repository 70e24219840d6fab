"""Reports with known truth: consistent random figures for a template, rendered as text layouts.

The truth is the figures drawn here; the parser's output is compared with it, never the reverse.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from models.catalog import CellKey, cells_for, columns_for, rows_for
from pipelines.rules import APPLICANT_COLUMNS, OUTCOME_COLUMNS

HEADINGS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


@dataclass
class TrueReport:
    agency: str
    year: int
    template: str
    values: dict[CellKey, float]


def random_report(rng: random.Random, template: str = "2021", density: float = 0.3) -> TrueReport:
    """Figures that satisfy C1–C4 by construction; `density` is the share of non-zero results."""
    values: dict[CellKey, float] = {k: 0.0 for k in cells_for(template)}

    def s3(row: str, col: str) -> CellKey:
        return CellKey(3, "requests", row, col)

    result_rows = [r.row_key for r in rows_for(template, 3)
                   if r.row_key not in ("new_requests", "carried_over", "total_handled", "carried_forward")]
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
        for col, v in zip(OUTCOME_COLUMNS, parts):
            values[CellKey(4, "review_litigation", spec.row_key, col)] = v
        values[CellKey(4, "review_litigation", spec.row_key, "total")] = sum(parts)
    for key in values:
        if key.section == 2:
            values[key] = float(rng.randint(0, 400)) if rng.random() < 0.5 else 0.0
    agency = rng.choice(["海东市生态环境局", "忻州市生态环境局神池分局", "某某县人民政府办公室", "某某市交通运输局"])
    return TrueReport(agency, rng.choice([2021, 2022, 2023]) if template == "2021" else 2019, template, values)


def _fmt(v: float, blank_zero: bool) -> str:
    if v == 0 and blank_zero:
        return ""
    return str(int(v)) if v == int(v) else f"{v:g}"


def render_tabs(report: TrueReport, *, blank_zero: bool = False, drop_blanks: bool = False) -> str:
    """Tab-separated rows as text pulled from a PDF. `blank_zero` prints zeros as empty cells;
    `drop_blanks` then loses the empty cells, as PDF extraction does (seed 004)."""
    t = report.template
    out = [report.agency, f"{report.agency}{report.year}年政府信息公开工作年度报告", HEADINGS[1],
           f"{report.year}年，{report.agency}认真贯彻落实《中华人民共和国政府信息公开条例》。", HEADINGS[2]]

    def row(cells: list[str]) -> str:
        if drop_blanks:
            cells = [c for c in cells if c != ""] or [""]
        return "\t".join(cells)

    for table_key in dict.fromkeys(r.table_key for r in rows_for(t, 2)):
        cols = columns_for(t, table_key)
        group = next(r.group_label for r in rows_for(t, 2) if r.table_key == table_key)
        out.append(row([group] + [""] * len(cols)))
        out.append(row(["信息内容"] + [c.column_label for c in cols]))
        for spec in (r for r in rows_for(t, 2) if r.table_key == table_key):
            out.append(row([spec.row_label] + [_fmt(report.values[CellKey(2, table_key, spec.row_key, c.column_key)], blank_zero) for c in cols]))
    out.append(HEADINGS[3])
    cols3 = columns_for(t, "requests")
    out.append(row(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"] + [""] * 6))
    out.append(row(["", "自然人", "法人或其他组织", "", "", "", "", "总计"]))
    out.append(row(["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]))
    for spec in rows_for(t, 3):
        figures = [_fmt(report.values[CellKey(3, "requests", spec.row_key, c.column_key)], blank_zero) for c in cols3]
        out.append(row([spec.row_label] + figures))
    out.append(HEADINGS[4])
    out.append(row(["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9))
    out.append(row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]))
    out.append(row([""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
    figures4 = [_fmt(report.values[CellKey(4, "review_litigation", r.row_key, c.column_key)], blank_zero)
                for r in rows_for(t, 4) for c in columns_for(t, "review_litigation")]
    out.append(row(figures4))
    out += [HEADINGS[5], "我局将继续改进工作。", HEADINGS[6], "无。", report.agency, f"{report.year + 1}年1月20日"]
    return "\n".join(out) + "\n"

"""Report metadata from the document's own text: agency, statistics year, template version."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from models.catalog import rows_for
from pipelines.formats.document import Document
from pipelines.template.agency_name import AgencyName, find_agency_name, weigh_page_meta
from pipelines.template.labels import SECTION2_ROW_LABELS, normalize, section2_line_markers, strip_enumerator

_YEAR_TITLE = re.compile(r"(?P<year>20\d{2})\s*年度?\s*(?:政府)?信息公开(?:工作)?年度报告")
_YEAR_BODY = (
    re.compile(r"(?P<year>20\d{2})\s*年度\s*(?:政府信息公开|政务公开)"),
    re.compile(r"(?P<year>20\d{2})\s*年\s*1\s*月\s*1\s*日\s*至\s*(?:20\d{2}\s*年\s*)?12\s*月\s*31\s*日"),
    re.compile(r"(?P<year>20\d{2})\s*年度"),
)
# (the last of _YEAR_BODY: a 年度 alone, weighed against the years the text's own sentences name)
_YEAR_ALONE = _YEAR_BODY[-1]

TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "本年终止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "缴纳费用",
    ),
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
    ),
}


_MAX_TABLE_LINE = 80
# Section 4's own labels (行政诉讼's two columns groups), printed by no narrative sentence.
SECTION4_LABELS = ("未经复议直接起诉", "复议后起诉")
SECTION4_ONLY = "section 4's labels only (the same in both templates)"


@dataclass(frozen=True)
class Metadata:
    agency: str | None
    year: int | None
    template: str | None
    template_evidence: str  # which labels decided the template
    # title | preface | opening | signature | body (+body: completed from it); from an HTML page's meta tags:
    # meta-title (ArticleTitle), meta-source (ContentSource/Author), body+site (SiteName's region), X+meta (agreeing)
    agency_source: str | None = None
    agency_doubt: str | None = None  # why the agency is unknown or only probable; None when sure


def find_agency(doc: Document) -> AgencyName:
    """The publishing agency by the name grammar (pipelines.agency_name): the name, where it came
    from, and how sure, or why it is unknown. An HTML page's meta tags are weighed in after the text."""
    found = find_agency_name(doc.text)
    return found if doc.meta is None else weigh_page_meta(found, doc.text, doc.meta)


# A document named in 《》: the report's own title (现发布《X2023年…年度报告》) or another one
# (公开发布《X2022年…年度报告》, last year's; 《关于做好2023年…年度报告编制发布工作的通知》).
_QUOTED = re.compile(r"《[^《》]{0,80}》")


def find_year(doc: Document) -> int | None:
    """The statistics year (not the publication date). A title quoted in 《》 may be another
    report's (last year's, cited in the narrative): it counts only after what the text says
    outside quotes, and not against it."""
    simplified = doc.text  # the reader already converted a traditional document
    head = normalize("".join(_first_lines(simplified, 8)))
    bare_head = _QUOTED.sub("《》", head)
    # The whole text's normal form only where the head does not say (most titles do): a report's
    # text is new on every first read, and normalising it costs more than the rest of the search.
    text = bare_text = ""
    for pattern in (_YEAR_TITLE, *_YEAR_BODY[:-1]):
        m = pattern.search(bare_head)
        if m:
            return int(m.group("year"))
        if not text:
            text = normalize(simplified)
            bare_text = _QUOTED.sub("《》", text)
        m = pattern.search(bare_text)
        if m:
            return int(m.group("year"))
    bare_years = Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", bare_text))
    m = _YEAR_ALONE.search(bare_head) or _YEAR_ALONE.search(bare_text)
    if m:
        year = int(m.group("year"))
        # 认真查摆2022年度我局政务公开情况 in a report whose sentences say 2023年 more often: the 年度 is a year it looks
        # back on, not its own
        later = max(bare_years, key=lambda y: (bare_years[y], y), default=year)
        return later if later > year and bare_years[later] > bare_years[year] else year
    for scope in (head, text):
        m = _YEAR_TITLE.search(scope)
        if m:
            quoted = int(m.group("year"))
            # 公开发布《X2022年…年度报告》 in a report whose own text speaks only of 2023
            if not bare_years or quoted in bare_years or max(bare_years) < quoted:
                return quoted
            break
    years = bare_years or Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", text))
    return years.most_common(1)[0][0] if years else None


def _first_lines(text: str, n: int) -> list[str]:
    """text.splitlines()[:n], without splitting the whole text where its first lines are short."""
    lines = text[:4096].splitlines()
    # More than n lines in the prefix: the (n+1)th began inside it, so the first n are whole.
    return lines[:n] if len(lines) > n else text.splitlines()[:n]


def detect_template(doc: Document, year: int | None) -> tuple[str | None, str]:
    """The template version from the labels printed in the tables; the year only breaks a tie
    where neither template's own labels appear."""
    printed: set[str] = set()
    for row in doc.rows:
        if not row.is_text:
            printed.update(row.cells)  # each distinct cell once (the table's 0s, blanks, labels)
    found = _markers_of_cells(printed)
    if printed and (found["2021"] or found["2019"]):
        n2021, n2019 = len(found["2021"]), len(found["2019"])
        template = "2021" if n2021 >= n2019 else "2019"
        return template, "labels: " + "、".join(found[template])
    # Text copied from a web page, or one cell per line, has no table rows: a table's header and
    # label lines are paragraphs (信息内容本年制发件数本年废止件数现行有效件数, 行政许可3960181). Short lines
    # that are not sentences count; the narrative's sentences do not. An ASCII figure (most cells)
    # is its own normal form: no lookup for it.
    cells = {c if c.isdigit() and c.isascii() else normalize(c) for c in printed}
    cells |= {
        normalize(c)
        for row in doc.rows
        if row.is_text
        for c in row.cells
        if len(normalize(c)) <= _MAX_TABLE_LINE and "。" not in c
    }
    found = _markers_in(cells)
    n2021, n2019 = len(found["2021"]), len(found["2019"])
    if n2021 or n2019:
        template = "2021" if n2021 >= n2019 else "2019"
        return template, "labels: " + "、".join(found[template])
    lined = _section2_line_template(doc)
    if lined is not None:
        return lined
    has_tables = any(k in c for c in cells for k in ("本年新收", "新收到", "予以公开", "不予公开"))
    if has_tables and year is not None:
        template = "2021" if year >= 2021 else "2019"
        return template, f"no template-specific labels; chosen by year {year}"
    if year is not None and all(any(k in c for c in cells) for k in SECTION4_LABELS):
        # A flip-book's page of section 4 alone: its table is the same in both templates, so the
        # template decides no cell read; the year names it (the report's parser asks for figures).
        return "2021" if year >= 2021 else "2019", f"{SECTION4_ONLY}; chosen by year {year}"
    return None, "no table labels of either template"


# The section-2 row labels of one template only (其他对外管理服务事项, 政府集中采购: the 2019 form's).
_SECTION2_OWN_ROWS = {
    template: tuple(
        label
        for label, key in SECTION2_ROW_LABELS.items()
        if key in {r.row_key for r in rows_for(template, 2)} and key not in {r.row_key for r in rows_for(other, 2)}
    )
    for template, other in (("2021", "2019"), ("2019", "2021"))
}


def _section2_line_template(doc: Document) -> tuple[str, str] | None:
    """The template that section 2's lines name by their column words (规章：本年新制发0件 is 2021's,
    规章：本年新制作0件 2019's), where section 2 is printed as a line a row: only lines that open with
    a row label, and their words outside the labels (行政事业性收费 holds 收费); None where they name
    neither template, or both as much."""
    found: dict[str, set[str]] = {"2021": set(), "2019": set()}
    for row in doc.rows:
        if not row.is_text or not any(ch.isdigit() for ch in row.joined):
            continue
        line = strip_enumerator(row.joined)
        if len(line) > 2 * _MAX_TABLE_LINE or not line.startswith(tuple(SECTION2_ROW_LABELS)):
            continue
        for template, rows in _SECTION2_OWN_ROWS.items():  # 政府集中采购 is a row of the 2019 form only
            found[template].update(label for label in rows if line.startswith(label))
        for label in sorted(SECTION2_ROW_LABELS, key=len, reverse=True):
            line = line.replace(label, "|")
        for template in found:
            found[template].update(m for m in section2_line_markers(template) if m in line)
    n2021, n2019 = len(found["2021"]), len(found["2019"])
    if n2021 == n2019:
        return None
    template = "2021" if n2021 > n2019 else "2019"
    return template, "section 2's lines: " + "、".join(sorted(found[template]))


def _markers_of_cells(printed: set[str]) -> dict[str, list[str]]:
    """_markers_in of the cells' normal forms, from what each cell holds (kept per cell text: a
    table's labels and headers recur in every report, its figures hold no marker)."""
    found: dict[str, set[str]] = {t: set() for t in TEMPLATE_MARKERS}
    known = _CELL_MARKERS
    for cell in printed:
        held = known.get(cell)
        if held is None:
            if cell.isdigit() and cell.isascii():
                continue  # a figure (most cells, new on a first read): no marker, nothing kept
            text = normalize(cell)
            held = tuple((t, m) for t, markers in TEMPLATE_MARKERS.items() for m in markers if m in text)
            if len(known) >= _MAX_CELL_MARKERS:
                known.clear()
            known[cell] = held
        for template, marker in held:
            found[template].add(marker)
    return {t: sorted(markers) for t, markers in found.items()}


# A printed cell's text → the (template, marker) pairs its normal form holds (most hold none).
_CELL_MARKERS: dict[str, tuple[tuple[str, str], ...]] = {}
_MAX_CELL_MARKERS = 1 << 16


def _markers_in(cells: set[str]) -> dict[str, list[str]]:
    """Per template, its markers that some cell contains. The cells are searched as one string
    joined by NUL, which no marker holds, so a marker found lies inside one cell."""
    joined = "\0".join(cells)
    return {t: sorted({m for m in markers if m in joined}) for t, markers in TEMPLATE_MARKERS.items()}


def read_metadata(doc: Document) -> Metadata:
    year = find_year(doc)
    template, evidence = detect_template(doc, year)
    agency = find_agency(doc)
    doubt = None if agency.confidence == "high" else agency.reason
    return Metadata(agency.name, year, template, evidence, agency.source, doubt)

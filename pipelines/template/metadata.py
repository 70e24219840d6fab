"""Report metadata from the document's own text: agency, statistics year, template version."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.formats.document import Document
from pipelines.template.labels import normalize

_HAN = r"\u4e00-\u9fff"
# An agency name: Han characters (brackets allowed inside) ending in an institution word.
# (Not bare 政府, 会 or 部: "主动公开政府信息" and the like would read as names.)
_AGENCY_END = r"(?:分局|局|厅|委员会|办公室|人民政府|中心|管理处|管理所|院|署|站|馆)"
_AGENCY = rf"[{_HAN}()（）]{{1,40}}?{_AGENCY_END}"
_TITLE = re.compile(rf"(?P<agency>{_AGENCY})\s*(?P<year>20\d{{2}})\s*年度?\s*(?:政府)?信息公开(?:工作)?年度报告")
_YEAR_TITLE = re.compile(r"(?P<year>20\d{2})\s*年度?\s*(?:政府)?信息公开(?:工作)?年度报告")
_YEAR_BODY = (
    re.compile(r"(?P<year>20\d{2})\s*年度\s*(?:政府信息公开|政务公开)"),
    re.compile(r"(?P<year>20\d{2})\s*年\s*1\s*月\s*1\s*日\s*至\s*(?:20\d{2}\s*年\s*)?12\s*月\s*31\s*日"),
    re.compile(r"(?P<year>20\d{2})\s*年度"),
)
# Words that run into an agency name in body text ("现公布X局…", "根据X局…").
_LEADING_WORDS = re.compile(r"^(?:.*?(?:现公布|公布|现将|发布|根据|按照|关于|编制|印发|本报告由|我们|特此))")
_DATE_LINE = re.compile(r"^\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")

TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "本年终止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期不补正", "缴纳费用"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "政府集中采购", "采购项目数量", "采购总金额"),
}


_MAX_TABLE_LINE = 80


@dataclass(frozen=True)
class Metadata:
    agency: str | None
    year: int | None
    template: str | None
    template_evidence: str  # which labels decided the template


def _clean_agency(name: str) -> str:
    name = _LEADING_WORDS.sub("", name)
    return name.strip("（）() ")


def find_agency(doc: Document) -> str | None:
    lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()]
    # 1. A title: agency and year before 政府信息公开工作年度报告, possibly over two lines.
    head = lines[:6]
    for chunk in [*head, *("".join(head[i : i + 2]) for i in range(len(head) - 1))]:
        m = _TITLE.search(normalize(chunk))
        if m:
            return _clean_agency(m.group("agency"))
    # 2. A title line of its own just above the year line (忻州市…分局 / 2023 年政府信息公开…).
    for i, line in enumerate(lines[:6]):
        if _YEAR_TITLE.match(normalize(line)) and i > 0 and re.fullmatch(_AGENCY, normalize(lines[i - 1])):
            return normalize(lines[i - 1])
    # 3. The signature: an agency line followed by a date line at the end.
    for i in range(len(lines) - 1, 0, -1):
        if _DATE_LINE.match(lines[i]) and re.fullmatch(_AGENCY, normalize(lines[i - 1])):
            return normalize(lines[i - 1])
    # 4. The body: "现公布X2023年政府信息公开工作年度报告", else the most frequent agency name.
    body = normalize(doc.text)
    m = _TITLE.search(body)
    if m:
        return _clean_agency(m.group("agency"))
    names = Counter(_clean_agency(n) for n in re.findall(_AGENCY, body))
    names = Counter({n: c for n, c in names.items() if len(n) >= 4 and not n.startswith(("我", "本"))})
    return names.most_common(1)[0][0] if names else None


def find_year(doc: Document) -> int | None:
    """The statistics year (not the publication date)."""
    text = normalize(doc.text)
    head = normalize("".join(doc.text.splitlines()[:8]))
    for pattern in (_YEAR_TITLE, *_YEAR_BODY):
        for scope in (head, text):
            m = pattern.search(scope)
            if m:
                return int(m.group("year"))
    years = Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", text))
    return years.most_common(1)[0][0] if years else None


def detect_template(doc: Document, year: int | None) -> tuple[str | None, str]:
    """The template version from the labels printed in the tables; the year only breaks a tie
    where neither template's own labels appear."""
    cells = {normalize(c) for row in doc.rows if not row.is_text for c in row.cells}
    found = {t: sorted({m for m in markers for c in cells if m in c}) for t, markers in TEMPLATE_MARKERS.items()}
    if not cells or not (found["2021"] or found["2019"]):
        # Text copied from a web page, or one cell per line, has no table rows: a table's header and
        # label lines are paragraphs (信息内容本年制发件数本年废止件数现行有效件数, 行政许可3960181). Short lines
        # that are not sentences count; the narrative's sentences do not.
        cells |= {normalize(c) for row in doc.rows if row.is_text for c in row.cells
                  if len(normalize(c)) <= _MAX_TABLE_LINE and "。" not in c}
        found = {t: sorted({m for m in markers for c in cells if m in c}) for t, markers in TEMPLATE_MARKERS.items()}
    n2021, n2019 = len(found["2021"]), len(found["2019"])
    if n2021 or n2019:
        template = "2021" if n2021 >= n2019 else "2019"
        return template, "labels: " + "、".join(found[template])
    has_tables = any(k in c for c in cells for k in ("本年新收", "新收到", "予以公开", "不予公开"))
    if has_tables and year is not None:
        template = "2021" if year >= 2021 else "2019"
        return template, f"no template-specific labels; chosen by year {year}"
    return None, "no table labels of either template"


def read_metadata(doc: Document) -> Metadata:
    year = find_year(doc)
    template, evidence = detect_template(doc, year)
    return Metadata(find_agency(doc), year, template, evidence)

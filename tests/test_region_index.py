"""The agency names' region index and code table (agency_name._region_index, _by_code) hold exactly
what the division list says: checked against the list itself, read here the plain way."""

from __future__ import annotations

from collections import defaultdict

from pipelines.template import agency_name, divisions


def _plain_index() -> dict[str, list[divisions.Division]]:
    index: dict[str, list[divisions.Division]] = defaultdict(list)
    for d in divisions.divisions().values():
        for alias in divisions.aliases(d):
            index[alias].append(d)
    index.pop("全州", None)  # before the townships, as the parser has it
    for level, code, parent, name in divisions.dataset()["divisions"]:
        if int(level) == 4:
            index[name].append(divisions.Division(code, name, 4, parent or None))
            if name.endswith("街道") and len(name) > 3:
                index[name[:-1]].append(divisions.Division(code, name, 4, parent or None))
    return dict(index)


def test_region_index_holds_every_alias_and_township_of_the_list_in_its_order() -> None:
    index, longest = agency_name._region_index()
    plain = _plain_index()
    assert {alias: sorted(ds) for alias, ds in index.items()} == {alias: sorted(ds) for alias, ds in plain.items()}
    assert list(index.items()) == list(plain.items())  # the same order: aliases, then townships, each in list order
    assert longest == max(len(a) for a in plain)


def test_townships_are_known_by_full_name_and_streets_also_without_their_last_character() -> None:
    index, _ = agency_name._region_index()
    street = next(n for lv, _c, _p, n in divisions.dataset()["divisions"] if lv == 4 and n == "佳荣里街道")
    assert [d.level for d in index[street]] == [4]
    assert index["佳荣里街"] == index[street]
    assert "全州" not in index  # the whole prefecture, not 全州县
    assert "全州县" in index


def test_code_table_finds_every_division_of_the_list() -> None:
    table = agency_name._by_code()
    rows = divisions.dataset()["divisions"]
    assert len(table) == len(rows)
    for level, code, parent, name in rows:
        assert table[code] == divisions.Division(code, name, int(level), parent or None)

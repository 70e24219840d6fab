"""Agencies resolve to their division (official codes) from the name, short forms included."""

from __future__ import annotations

import pytest

from pipelines.template.divisions import data_version, parent_agency, resolve_agencies


@pytest.mark.parametrize(
    ("agency", "province", "prefecture", "county", "code"),
    [
        ("塔城地区生态环境局乌苏市分局", "新疆维吾尔自治区", "塔城地区", "乌苏市", "654202"),
        ("海东市生态环境局", "青海省", "海东市", None, "630200"),
        ("克州生态环境局阿合奇县分局", "新疆维吾尔自治区", "克孜勒苏柯尔克孜自治州", "阿合奇县", "653023"),
        ("忻州市生态环境局神池分局", "山西省", "忻州市", "神池县", "140927"),
        ("楚雄州生态环境局禄丰分局", "云南省", "楚雄彝族自治州", "禄丰市", "532302"),
        ("北京市朝阳区市场监督管理局", "北京市", None, "朝阳区", "110105"),
        ("广东省自然资源厅", "广东省", None, None, "440000"),
        ("渭南市临渭区人民政府办公室", "陕西省", "渭南市", "临渭区", "610502"),
        ("新疆生态环境厅", "新疆维吾尔自治区", None, None, "650000"),
        ("西乌旗自然资源局", "内蒙古自治区", "锡林郭勒盟", "西乌珠穆沁旗", "152526"),  # a banner's short form
        ("科右中旗教育局", "内蒙古自治区", "兴安盟", "科尔沁右翼中旗", "152222"),
    ],
)
def test_an_agency_resolves_to_its_division(
    agency: str, province: str, prefecture: str | None, county: str | None, code: str
) -> None:
    row = resolve_agencies([agency]).row(0, named=True)
    assert (row["province"], row["prefecture"], row["county"], row["division_code"]) == (
        province,
        prefecture,
        county,
        code,
    )


def test_a_name_that_names_two_divisions_is_left_unresolved_and_says_why() -> None:
    row = resolve_agencies(["朝阳区教育委员会"]).row(0, named=True)  # Beijing's or Changchun's?
    assert row["division_code"] is None
    assert "names 2 divisions" in row["resolved_by"]


def test_a_name_without_a_place_is_unresolved() -> None:
    assert resolve_agencies(["某局"]).row(0, named=True)["resolved_by"] == "no division named"


@pytest.mark.parametrize(
    ("agency", "parent"),
    [
        ("塔城地区生态环境局乌苏市分局", "塔城地区生态环境局"),
        ("楚雄州生态环境局禄丰分局", "楚雄州生态环境局"),
        ("成都市公安局交通管理局第一分局", "成都市公安局交通管理局"),
        ("国家税务总局杭州市税务局西湖区分局", "国家税务总局杭州市税务局"),
        ("海东市生态环境局", None),
    ],
)
def test_a_branch_bureau_knows_its_parent(agency: str, parent: str | None) -> None:
    assert parent_agency(agency) == parent


def test_the_division_data_is_the_ministrys_list() -> None:
    assert data_version().startswith("Xzqh")


def test_a_nights_dim_agency_rows_are_those_each_name_resolves_to_whether_derive_resolved_it_or_not() -> None:
    from pipelines.warehouse.load import _agency_rows

    names = sorted(["海东市生态环境局", "塔城地区生态环境局乌苏市分局", "北京市朝阳区人民政府", "某某委员会"])
    derived = resolve_agencies(names[1:3])  # derive resolved some (the changed reports'), not all
    assert _agency_rows(names, derived).equals(resolve_agencies(names))
    assert _agency_rows(names[:1], derived).equals(resolve_agencies(names[:1]))  # a derived name not asked: left out

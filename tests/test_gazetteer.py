"""The gazetteer: places of agency names, by the year of the report, down to townships."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure import gazetteer
from govdisclosure.gazetteer import locate


@pytest.mark.parametrize("name, year, place", [
    # a county without its city, a township without anything above it
    ("永嘉县农业局", 2010, ("浙江省", "温州市", "永嘉县", "")),
    ("亭子坝镇人民政府", 2016, ("贵州省", "铜仁市", "思南县", "亭子坝镇")),
    ("凉州区张义镇人民政府", 2009, ("甘肃省", "武威市", "凉州区", "张义镇")),
    ("梅河口市和平街道办事处", 2020, ("吉林省", "通化市", "梅河口市", "和平街道")),
    # the names of the report's year: 吐鲁番地区 until 2014, 吐鲁番市 (a prefecture) from 2015
    ("吐鲁番地区行政公署", 2014, ("新疆维吾尔自治区", "吐鲁番地区", "", "")),
    ("吐鲁番市人民政府", 2016, ("新疆维吾尔自治区", "吐鲁番市", "", "")),
    ("襄樊市统计局", 2009, ("湖北省", "襄樊市", "", "")),
    # 哈密市 was a county-level city of 哈密地区 until it became the prefecture in 2016
    ("哈密市统计局", 2008, ("新疆维吾尔自治区", "哈密地区", "哈密市", "")),
    ("哈密市统计局", 2020, ("新疆维吾尔自治区", "哈密市", "", "")),
    # short forms before a level word
    ("新疆自治区地方税务局", 2015, ("新疆维吾尔自治区", "", "", "")),
    ("文山州生态环境局马关分局", 2023, ("云南省", "文山壮族苗族自治州", "马关县", "")),
    # municipalities have no city; a branch of a municipal bureau sits in its district
    ("上海市公安局静安分局", 2012, ("上海市", "", "静安区", "")),
    ("北京市怀柔区发展和改革委员会", 2010, ("北京市", "", "怀柔区", "")),
    # county-level units without a prefecture, and units that only the project's data file holds
    ("济源市人民政府", 2020, ("河南省", "", "济源市", "")),
    ("平潭综合实验区管理委员会", 2013, ("福建省", "", "平潭综合实验区", "")),
    ("兰州新区卫生健康委员会", 2020, ("甘肃省", "兰州市", "兰州新区", "")),
    ("国家统计局", 2008, ("", "", "", "")),
])
def test_places_of_agency_names(name, year, place):
    found = locate(name, year=year)
    assert (found.province, found.city, found.county, found.township) == place


def test_short_names_are_written_out_in_the_prefix():
    found = locate("文山州生态环境局马关分局", year=2023)
    assert (found.prefix, found.prefix_end) == ("文山壮族苗族自治州", 3)


def test_ambiguous_names_need_the_report_s_text():
    assert locate("朝阳区人民政府").county == ""
    assert locate("朝阳区人民政府", "长春市朝阳区").city == "长春市"
    assert locate("和平街道办事处", "梅河口市和平街道", 2020).county == "梅河口市"


def test_a_township_elsewhere_in_the_name_is_not_a_place():
    # 嘉定工业区 is a township-level unit, but a bare name is read as a place only when it is a 乡/镇/街道.
    assert locate("工业区管理委员会").province == ""


def test_the_lists_load_once_per_process():
    assert gazetteer._yearly() is gazetteer._yearly()
    assert gazetteer._townships() is gazetteer._townships()


_COUNTIES = sorted({d.name for d in gazetteer.divisions()[0].values() if d.level == "county" and d.valid(None)})


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_COUNTIES), st.sampled_from(["人民政府", "统计局", "公安局", "教育局"]))
def test_a_county_named_alone_is_found_or_left_unresolved(county, organ):
    """Any county of today: found with its own province and city, or (same-named counties) nothing."""
    found = locate(county + organ)
    if found.prefix_end:
        division = next(d for d in gazetteer.divisions()[1][county] if d.valid(None) and d.level == "county")
        by_code = gazetteer.divisions()[0]
        assert found.county == county and found.prefix_end == len(county)
        assert found.province == by_code[division.province_code].name
    else:
        assert sum(d.valid(None) for d in gazetteer.divisions()[1][county]) > 1


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_COUNTIES), st.integers(1980, 2030))
def test_any_year_gives_a_consistent_place(county, year):
    found = locate(county + "人民政府", year=year)
    assert found.prefix_end in (0, len(county))
    assert not found.county or found.province


def test_parsed_lists_are_kept_in_the_user_cache(tmp_path, monkeypatch):
    source = tmp_path / "list.csv"
    source.write_text("a,b\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls = []

    def build():
        calls.append(1)
        return {"亭子坝镇": ["522225000000"]}

    assert gazetteer._index_cache("probe", [source], build) == {"亭子坝镇": ["522225000000"]}
    assert gazetteer._index_cache("probe", [source], build) == {"亭子坝镇": ["522225000000"]}
    assert len(calls) == 1 and len(list((tmp_path / "cache" / "govdisclosure").glob("probe-*.pickle"))) == 1
    source.write_text("a,b,c\n", encoding="utf-8")  # a changed source is parsed again
    gazetteer._index_cache("probe", [source], build)
    assert len(calls) == 2


def test_an_unwritable_cache_folder_costs_time_not_results(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    assert gazetteer._index_cache("probe", [blocker], lambda: [1, 2]) == [1, 2]

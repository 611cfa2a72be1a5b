"""The outcome total a report states as "all answered" without a number (`implied.all_answered`)."""

from __future__ import annotations

import pytest

from govdisclosure import clean
from govdisclosure.document import Document
from govdisclosure.transform.narrative import extractor as narrative


def outcome_total(text: str, template: str | None = None) -> list[float]:
    doc = Document("test", "test.txt", clean.normalise(clean.to_simplified([text])[0]))
    return [f.value for f in narrative.extract(doc, template)[0] if (f.measure, f.breakdown) == ("outcome_total", "total")]


@pytest.mark.parametrize(("text", "template", "expected"), [
    ("(二)依申请公开。全年受理依申请信息公开21件,包括信函申请2件、网络申请19件,全部在规定时间内办结。", "2021", [21]),
    ("2012年共收到2份書面政府信息公開申請,均依法回復,未發生政府信息公開收費情況。", None, [2]),
    (("2011年,全省共收到政府信息公开申请1192件,同比增加338件,增长39.6%。其中,网上申请677件,当面申请372件。"
      "主要涉及财政预决算、土地征收。\n目前,所有政府信息公开申请已全部办理完毕,并在规定的期限内进行了答复。"), None, [1192]),
])
def test_all_answered_is_the_request_total(text, template, expected):
    assert outcome_total(text, template) == expected


@pytest.mark.parametrize("text", [
    # 均 speaks of the 3 disclosed, not of the 10 requests.
    "2015年共收到政府信息公开申请10件,其中予以公开3件,均已答复。",
    # not all answered
    "2015年共收到政府信息公开申请10件,尚未全部办结。",
    # a number of its own: the printed figure is read, not the implied one
    "2015年共收到政府信息公开申请10件,已办结8件。",
    # two different request totals: which one is meant is not certain
    "2015年市本级收到政府信息公开申请10件,全部办结。全市共受理政府信息公开申请30件。",
    # all answered, but not said of the requests, in another sentence
    "2015年共收到政府信息公开申请10件。全年办理人大建议15件,均已答复。",
])
def test_all_answered_is_not_read_where_the_reference_is_uncertain(text):
    assert outcome_total(text) in ([], [8])
    assert 10 not in outcome_total(text)


def found(text: str) -> dict[tuple[str, str], list[float]]:
    doc = Document("test", "test.txt", clean.normalise(text))
    out: dict[tuple[str, str], list[float]] = {}
    for f in narrative.extract(doc, None)[0]:
        out.setdefault((f.measure, f.breakdown), []).append(f.value)
    return out


def test_all_of_one_kind_is_the_category_of_the_total():
    text = ("2011年,在“中国河北”门户网站主动公开政府信息405条,均为本单位业务工作类信息。"
            "在河北省体育局门户网站(http://sport.hebei.gov.cn)公开信息1469条,涉及工作动态、图片新闻等内容。")
    assert found(text)[("proactive_items_by_category", "业务工作")] == [405]
    # 均为 after another count, or without 类信息, names no category of the total.
    assert not any(k[0] == "proactive_items_by_category" for k in found(
        "2011年,主动公开政府信息405条,其中工作动态300条,均为原创。"))
    assert not any(k[0] == "proactive_items_by_category" for k in found(
        "2011年,主动公开政府信息405条,均为主动公开。"))


def test_all_through_one_channel_is_the_channel_of_the_total():
    text = ("1、市司法局2013年主动公开39条政府信息。其中,机构信息13条,法规公文6条,政府决策2条,工作信息12条,其他信息6条。\n"
            "2、重点公开的内容主要有法律援助。\n3、市司法局政府信息全部通过对朝阳市政府网站对外进行公布,并印制办事指南置放于办公地点。")
    assert found(text)[("channel_items", "gov_portal")] == [39]
    # Two channels, or a channel with its own count, say nothing of the whole total through one.
    assert ("channel_items", "gov_portal") not in found(text.replace("对朝阳市政府网站", "市政府网站和微信公众号"))
    assert found(text.replace("全部通过对朝阳市政府网站对外进行公布", "通过市政府网站公布20条"))[
        ("channel_items", "gov_portal")] == [20]


def test_a_closing_total_of_one_channels_list_is_that_channels_count():
    text = ("2012年度共主动公开政府信息196条。\n另通过教育信息网发布教育要闻378条、学校动态信息807条、县市区动态信息402条、"
            "国内外教育信息207条、访谈3条、视频新闻263条、图片信息232条,总计2292条。")
    assert found(text)[("channel_items", "agency_website")] == [2292]
    # A closing figure that is not the sum of the items, or a list over two channels, is not read.
    assert ("channel_items", "agency_website") not in found(text.replace("总计2292条", "总计2300条"))
    assert ("channel_items", "agency_website") not in found(text.replace("教育信息网", "教育信息网和微博"))

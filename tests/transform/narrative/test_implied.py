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

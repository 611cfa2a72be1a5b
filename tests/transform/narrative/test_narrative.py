"""The narrative extractor on the exact sentences of the corpus and on variants of them.

Sentences are cleaned the way the pipeline cleans a document (pinyin, traditional script,
full-width characters), so the variants test what a real copy of the report would give.
"""

from __future__ import annotations

import opencc
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure import clean, pipeline
from govdisclosure.document import Document
from govdisclosure.measures import unit_of
from govdisclosure.transform.narrative import extractor as narrative
from support.locations import FIXTURES, RAW
from support.numerals import to_chinese

EXPECTED = FIXTURES / "narrative" / "expected_facts.csv"


def doc_of(text: str) -> Document:
    """A document whose text is `text` after the cleaning steps that touch sentences."""
    simplified = clean.to_simplified([clean.strip_pinyin(text)])[0]
    return Document("test", "test.txt", clean.normalise(simplified))


def figures(text: str) -> dict[tuple[str, str], list[float]]:
    facts, _ = narrative.extract(doc_of(text))
    found: dict[tuple[str, str], list[float]] = {}
    for f in facts:
        found.setdefault((f.measure, f.breakdown), []).append(f.value)
    return found


def assert_figures(text: str, expected: dict[tuple[str, str], float | None]) -> None:
    """The figures of `text` for the measures in `expected` (None: the measure must not be read)."""
    found = figures(text)
    assert {k: v for k, v in found.items() if k in expected} == {k: [v] for k, v in expected.items() if v is not None}


# --- the corpus, end to end --------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_facts() -> dict[str, tuple[Document, list]]:
    files = sorted(pd.read_csv(EXPECTED, comment="#", dtype=str).source_file.unique())
    out = {}
    for name in files:
        doc = pipeline.read_document(RAW / name)
        out[name] = (doc, *narrative.extract(doc))
    return out


def test_corpus_matches_the_answer_key(corpus_facts):
    expected = pd.read_csv(EXPECTED, comment="#", dtype=str, keep_default_na=False)
    wrong, missing = [], []
    for row in expected.itertuples():
        _, facts, _ = corpus_facts[row.source_file]
        got = [f.value for f in facts if (f.measure, f.breakdown) == (row.measure, row.breakdown)]
        if row.value == "NA":
            if got:
                wrong.append((row.source_file, row.measure, row.breakdown, "NA", got))
            continue
        accepted = {float(v) for v in row.value.split("|")}
        if not got:
            missing.append((row.source_file, row.measure, row.breakdown))
        elif not set(got) <= accepted:
            wrong.append((row.source_file, row.measure, row.breakdown, row.value, got))
    assert wrong == []
    assert missing == []


def test_every_fact_points_at_its_evidence(corpus_facts):
    for doc, facts, _ in corpus_facts.values():
        for f in facts:
            assert doc.text[f.span_start:f.span_end] == f.evidence
            assert f.label and f.label in doc.text
            assert f.unit == unit_of(f.measure)
            assert f.scope in ("agency", "jurisdiction", "unknown")
            assert f.method in ("text", "table")


def test_a_report_without_figures_gives_none(corpus_facts):
    _, facts, _ = corpus_facts["000_8b69490460605994.txt"]
    assert facts == []


def test_narrative_contradicting_its_table_keeps_both_and_warns(corpus_facts):
    _, facts, findings = corpus_facts["pingtan_zone_2013.txt"]
    proactive = {(f.method, f.value) for f in facts if f.measure == "proactive_items"}
    assert proactive == {("text", 4970), ("table", 72804)}
    assert any(f.check == "text_contradicts_table" and "72804" in f.message for f in findings)


def test_flattened_statistics_table_resolved_by_the_prose(corpus_facts):
    _, facts, findings = corpus_facts["pingtan_zone_2018.txt"]
    table = {(f.measure, f.breakdown): f.value for f in facts if f.method == "table"}
    assert table[("proactive_items", "")] == 2069
    assert table[("channel_items", "gov_portal")] == 2069
    assert table[("channel_items", "gazette")] == 0
    assert not any(f.check == "stats_split_ambiguous" for f in findings)


# --- exact corpus sentences --------------------------------------------------------------------

LUZHOU_PROACTIVE = ("(一)主动公开政府信息情况。\n2017年主动公开政府信息811条,比2016年多125条,增长18.22%。其中,概况类3条,"
                    "占0.37%;计划总结类22条,占2.71%;法规公文类13条,占1.60%;工作动态类239条,占29.47%;人事类16条,"
                    "占1.97%;财政类6条,占0.74%,其他类512条,占63.13%。")
LUZHOU_REQUESTS = ("(二)政府信息依申请公开情况。\n全市共受理政府信息公开申请246件,共办理答复246件,占100%;转结下一年办理答复0件,"
                   "占0%。已办理答复件中,属于已主动公开范围的231件;同意公开0件,占0%;部分公开0件,占0%;不予公开15件,占6.10%。"
                   "不予公开中,涉及商业秘密4件,占1.63%;不属于本行政机关1件,占0.41%;申请信息不存在5件,占2.03%;"
                   "申请内容不明确或转其他途径办理5件,占2.03%;其他原因0件,占0%。")


def test_proactive_total_and_categories():
    assert_figures(LUZHOU_PROACTIVE, {
        ("proactive_items", ""): 811, ("proactive_items_by_category", "概况"): 3,
        ("proactive_items_by_category", "计划总结"): 22, ("proactive_items_by_category", "工作动态"): 239,
        ("proactive_items_by_category", "其他"): 512})
    assert ("proactive_items", "") in figures(LUZHOU_PROACTIVE)
    assert all(v != [125] for v in figures(LUZHOU_PROACTIVE).values())  # 比2016年多125条 is a change


def test_channels():
    text = ("1.通过政府网站主动公开政府信息情况。通过市政府网站主动公开41条。通过市统计局公众信息网主动公开696条。"
            "5.通过微博、微信主动公开政府信息情况。市统计局通过微博“泸州统计”发布6条,通过微信公众号“泸州统计”推送信息26条。")
    assert_figures(text, {("channel_items", "gov_portal"): 41, ("channel_items", "agency_website"): 696,
                          ("channel_items", "weibo"): 6, ("channel_items", "wechat"): 26})


def test_channel_named_in_an_earlier_clause():
    text = "我区各部门共开设新媒体数量70个。其中微博29个，共发布信息1992条；微信公众号41个，共发布信息3404条。"
    assert_figures(text, {("channel_items", "weibo"): 1992, ("channel_items", "wechat"): 3404})


def test_requests_and_legacy_reasons():
    assert_figures(LUZHOU_REQUESTS, {
        ("requests_new", "total"): 246, ("outcome_total", "total"): 246,
        ("requests_carried_forward", "total"): 0, ("outcome_already_public", "total"): 231,
        ("outcome_disclosed", "total"): 0, ("outcome_partial", "total"): 0, ("outcome_withheld", "total"): 15,
        ("outcome_withheld_trade_secret", "total"): 4, ("outcome_not_this_agency", "total"): 1,
        ("outcome_nonexistent", "total"): 5, ("outcome_unclear", "total"): 5, ("outcome_withheld_other", "total"): 0})


def test_review_breakdown():
    text = ("(五)复议、诉讼和申诉情况\n2013年全市收到关于政府信息公开的行政复议案件29件,维持具体行政行为17件,"
            "撤销、变更、确认违法或责令履行3件,行政诉讼9件。")
    assert_figures(text, {("reconsideration_total", ""): 29, ("reconsideration_upheld", ""): 17,
                          ("reconsideration_corrected", ""): 3, ("litigation_total", ""): 9})


def test_multipliers_and_enquiries():
    text = ("活动期间,5个局属单位向社会公众宣传《条例》内容及业务工作,现场接待群众咨询4300人次,发放各类宣传资料2800余份。"
            "截止2009年12月30日,全局(办)系统开通政府信息公开子网站3个,利用各种形式主动公开机关事务管理和接待工作各类信息1926条,"
            "局(办)领导回复电子邮件58件(次),3个网站点击率累计达308万人次。")
    assert_figures(text, {("consultations", ""): 4300, ("proactive_items", ""): 1926,
                          ("website_visits", ""): 3_080_000})


def test_press_and_gazette():
    text = ("(3)新闻发布会。全市共举办新闻发布会79场,其中市本级24场(1+X算一场)。4)政府公报。《宿迁市人民政府公报》每月一期,"
            "2013年度共编辑出版《政府公报》12期。")
    assert_figures(text, {("press_conferences", ""): 79, ("gazette_issues", ""): 12})


def test_approximation_keeps_the_number_and_marks_the_label():
    facts, _ = narrative.extract(doc_of("2012年，全县共主动公开政府信息3000余条。"))
    (fact,) = facts
    assert (fact.measure, fact.value, fact.scope) == ("proactive_items", 3000, "jurisdiction")
    assert "余" in fact.label


# --- statements of absence ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("(三)政府信息公开收费及减免情况。\n未收取费用。", {("fees_collected", ""): 0}),
    ("目前,对公民、法人和其他组织依申请事项提供政府信息暂未收费。", {("fees_collected", ""): 0}),
    ("2022年，无收取信息处理费情况。", {("fees_collected", ""): 0}),
    ("无因政府信息公开申请行政复议、提起行政诉讼的情况。",
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0}),
    (("2024年,未发生针对鹤山市统计局政府信息公开而申请行政复议、提起行政诉讼;没有政府信息公开事务费用支出;"
      "无行政复议、行政诉讼费用支出;未向公民、法人和其他组织收取依申请提供政府信息和咨询的任何费用。"),
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0, ("fees_collected", ""): 0}),
    ("2013年全区未收到有关政府信息公开的申请，收到1份有关政府信息公开行政复议申请已及时处理。",
     {("requests_new", "total"): 0, ("reconsideration_total", ""): 1}),
    ("（三）收费情况：无。", {("fees_collected", ""): 0}),
    ("四、因政府信息公开申请行政复议、提起行政诉讼的情况。无。",
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0}),
])
def test_statements_of_absence_are_zero(text, expected):
    assert_figures(text, expected)


@pytest.mark.parametrize("text", [
    "没有政府信息公开事务费用支出；无行政复议、行政诉讼费用支出。",  # spending, not fees or cases
    "另一季度因故未举办新闻发布会。",  # not a statement about the year
    "行政诉讼\t未经复议直接起诉\t复议后起诉",  # a table header, not a negation
    "全年未发生行政复议案件。",  # nothing says it is about information disclosure
    "3.通过阳光政务热线主动公开政府信息情况。无。",
])
def test_absence_that_is_not_a_zero(text):
    assert figures(text) == {}


# --- figures that must not be read -----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "比2016年多125条,增长18.22%。",
    "《宿迁市人民政府公报》每月一期。",
    "通过“中国上海”门户网站发布政策解读共132件。",  # policy explanations, not items published
    "本报告由概述、主动公开政府信息情况、因政府信息公开申请行政复议、提起行政诉讼的情况共六个部分组成。",
    "对网民的咨询投诉件及时处理并反馈，截至目前共收到15564件咨询投诉件，已办结15042件。",
    "区经济发展局着力推进实施过程信息公开，全年共发布信息291条。",  # one topic, not the total
    "共发布征地信息61条；今年累计公开政府采购项目信息2536条。",
    "予以公开及部分公开258件。",  # a sum of two outcomes
    "因本机关不掌握等原因无法提供265件。",  # several reasons together
    "市政府法制办全年办理行政复议案件120件。",  # not about information disclosure
    "政务公开栏更新12期。",  # issues of a notice board, not items
    "部分单位主动公开意识不强，已整改12项问题。",
    "按申请内容分，涉及征地拆迁的112件，涉及社会保障的56件。",  # kinds of requests, not of information
])
def test_not_a_figure(text):
    assert figures(text) == {}


def test_cumulative_total_is_not_the_year_total():
    text = "2012年主动公开政府信息500条。截至2012年底，累计主动公开政府信息12000条。"
    assert figures(text)[("proactive_items", "")] == [500]
    assert figures("全年累计主动公开政府信息600条。")[("proactive_items", "")] == [600]


def test_parts_of_the_jurisdiction_are_not_the_total():
    text = ("2013年主动公开政府信息4970条。其中，区直、县直各单位主动公开政府信息3933条，占79%。各乡镇主动公开政府信息1037条，"
            "占21%。在互联网上，2013年区管委会、县政府公开办主动公开信息数为222条。")
    assert figures(text)[("proactive_items", "")] == [4970]


# --- variants: script, digits, numerals, order -------------------------------------------------------

_S2T = opencc.OpenCC("s2t")


def test_traditional_script_with_pinyin_annotations():
    text = _S2T.convert(LUZHOU_REQUESTS).replace("據", "據(jù)").replace("請", "請(qǐng)")
    assert figures(text) == figures(LUZHOU_REQUESTS)


def test_full_width_digits():
    text = LUZHOU_PROACTIVE.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert figures(text) == figures(LUZHOU_PROACTIVE)


@pytest.mark.parametrize(("text", "expected"), [
    ("2013年市统计局举办了3次经济运行统计新闻发布会。", {("press_conferences", ""): 3}),
    ("受理的8件政府信息公开申请中，已按时答复8件。", {("requests_new", "total"): 8, ("outcome_total", "total"): 8}),
    ("全年共召开新闻发布会三次，接受群众咨询一百二十人次。",
     {("press_conferences", ""): 3, ("consultations", ""): 120}),
    ("政府信息公开申请共受理12件,其中当面申请3件,网上申请7件,信函申请2件。",
     {("requests_new", "total"): 12, ("requests_by_method", "in_person"): 3,
      ("requests_by_method", "online"): 7, ("requests_by_method", "letter"): 2}),
    ("(三)政府信息公开的收费及减免情况\n本年度收取检索、复制、邮寄等费用共计1.5万元。", {("fees_collected", ""): 15_000}),
    ("三、收费情况\n本年度共收取费用120元。", {("fees_collected", ""): 120}),
    ("全年我局累计主动公开各类政府信息1568条，其中政府门户网站公开1320条，局网站公开248条；通过官方微博发布信息860条。",
     {("proactive_items", ""): 1568, ("channel_items", "gov_portal"): 1320, ("channel_items", "agency_website"): 248,
      ("channel_items", "weibo"): 860}),
    ("全年共收到信息公开申请23件（网上申请15件，当面申请5件，信函申请3件），比上年增加7件。",
     {("requests_new", "total"): 23, ("requests_by_method", "online"): 15, ("requests_by_method", "in_person"): 5,
      ("requests_by_method", "letter"): 3}),
])
def test_reordered_and_reworded(text, expected):
    assert_figures(text, expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=500_000), st.sampled_from(["arabic", "separated", "full-width", "chinese"]),
       st.booleans())
def test_any_number_format(n, style, traditional):
    printed = {"arabic": str(n), "separated": f"{n:,}",
               "full-width": str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
               "chinese": to_chinese(n)}[style]
    text = f"2015年，全市共受理政府信息公开申请{printed}件。"
    if traditional:
        text = _S2T.convert(text)
    assert figures(text) == {("requests_new", "total"): [n]}


# --- one test per legacy reason ------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "measure"), [
    ("属于已主动公开范围的", "outcome_already_public"),
    ("同意公开", "outcome_disclosed"),
    ("同意部分公开", "outcome_partial"),
    ("不予公开", "outcome_withheld"),
    ("涉及国家秘密", "outcome_withheld_state_secret"),
    ("涉及商业秘密", "outcome_withheld_trade_secret"),
    ("涉及个人隐私", "outcome_withheld_privacy"),
    ("法律法规规定禁止公开", "outcome_withheld_prohibited"),
    ("危及国家安全、公共安全、经济安全和社会稳定", "outcome_withheld_three_safety"),
    ("属于内部管理信息", "outcome_withheld_internal"),
    ("属于过程性信息", "outcome_withheld_process"),
    ("不是《条例》所指政府信息", "outcome_not_gov_info"),
    ("不属于本行政机关公开", "outcome_not_this_agency"),
    ("申请信息不存在", "outcome_nonexistent"),
    ("申请内容不明确", "outcome_unclear"),
    ("告知作出更改补充", "outcome_unclear"),
    ("告知通过其他途径办理", "outcome_other_channel"),
    ("重复申请", "outcome_not_processed_repeat"),
])
def test_each_legacy_reason(phrase, measure):
    text = f"(二)依申请公开情况。\n全年共受理政府信息公开申请9件,已全部答复。其中{phrase}2件。"
    assert figures(text)[(measure, "total")] == [2]


def test_other_reason_only_inside_a_withheld_breakdown():
    assert figures("不予公开3件，其中涉及商业秘密2件，其他原因1件。")[("outcome_withheld_other", "total")] == [1]
    assert ("outcome_withheld_other", "total") not in figures("其他原因1件。")


# --- findings ------------------------------------------------------------------------------------

def test_percentage_that_matches_no_total_is_reported():
    _, findings = narrative.extract(doc_of("全年主动公开政府信息800条,其中工作动态类200条,占40%;其他类300条,占37.5%。"))
    assert [f.check for f in findings] == ["parts_short_of_total", "percentage_mismatch"]
    assert "200条" in findings[1].message


def test_parts_below_the_total_keep_both_and_are_noted():
    facts, findings = narrative.extract(doc_of("全年主动公开政府信息100条,其中工作动态类30条,其他类40条。"))
    assert sorted((f.breakdown, f.value) for f in facts) == [("", 100), ("其他", 40), ("工作动态", 30)]
    assert [(f.check, f.severity) for f in findings] == [("parts_short_of_total", "info")]


def test_parts_of_a_jurisdiction_without_a_total_give_no_total_and_a_warning():
    text = "省直单位主动公开信息14.9万条,较上年增长96%;各市政府主动公开信息39.9万条;各县级政府主动公开信息82万条。"
    facts, findings = narrative.extract(doc_of(text))
    assert [f for f in facts if f.measure == "proactive_items"] == []
    assert [f.check for f in findings] == ["ambiguous_total"]


def test_parts_above_the_total_are_reported():
    _, findings = narrative.extract(doc_of("全年主动公开政府信息100条,其中工作动态类80条,其他类40条。"))
    assert [f.check for f in findings] == ["parts_exceed_total"]


def test_request_breakdowns_are_not_categories():
    text = ("二、主动公开政府信息情况\n2012年，我县共主动公开政府信息2,356条。\n三、依申请公开政府信息办理情况\n"
            "2012年，全县共受理政府信息公开申请35件，其中当面申请10件，网上申请20件，信函申请5件。"
            "已办结35件，其中同意公开28件，同意部分公开3件，不予公开2件，信息不存在1件，不属于本机关公开范围1件。")
    found = figures(text)
    assert not any(m == "proactive_items_by_category" for m, _ in found)
    assert found[("requests_by_method", "in_person")] == [10]
    assert found[("outcome_total", "total")] == [35]
    assert found[("proactive_items", "")] == [2356]


@pytest.mark.parametrize(("text", "expected"), [
    # phrasings of reports from all over China that a phrase list misses
    ("2015年,我局共主动公开政府信息(公文平台发文)113条。", {("proactive_items", ""): 113}),
    ("2015年全年发布各类信息247条。", {("proactive_items", ""): 247}),
    ("2015年政府网站公开信息数71条，政务微信公开数63条。",
     {("channel_items", "gov_portal"): 71, ("channel_items", "wechat"): 63}),
    ("2015年，共收到1宗政府信息公开申请。", {("requests_new", "total"): 1}),
    ("2015年，全-共主动公开政府信息近2.4万条。", {("proactive_items", ""): 24_000}),
    ("2015年，我局主動公開政府資訊1萬余條。", {("proactive_items", ""): 10_000}),
    ("2015年，我局共受理政府信息公开申请二十三件。", {("requests_new", "total"): 23}),
    ("本年度没有依申请公开政府信息办理事项。", {("requests_new", "total"): 0}),
    ("本年度没有收费及减免的情况。", {("fees_collected", ""): 0}),
    ("2015年未发生政府信息公开行政复议案、诉讼和申述。",
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0}),
    ("2013年没有发生一起由政府信息公开引发的行政复议、行政诉讼和行政申诉。",
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0, ("complaints_total", ""): 0}),
    ("截止2009年12月底，已主动公开政府信息8400多条。2009年主动公开政府信息1192条。",
     {("proactive_items", ""): 1192}),
    ("四、复议及诉讼情况：无。", {("reconsideration_total", ""): 0, ("litigation_total", ""): 0}),
    ("四、行政复议和行政诉讼情况\n本年度未发生行政复议和行政诉讼案件。",
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0}),
    ("（四）行政复议情况\n2017年全县共受理行政复议4件。", {("reconsideration_total", ""): 4}),
    ("截至2012年12月31日，我局累计主动公开政府信息1523条，其中2012年主动公开356条。",
     {("proactive_items", ""): 356}),
    ("其中，同意公开100件，因涉及国家秘密而不予公开53件。",
     {("outcome_withheld_state_secret", "total"): 53, ("outcome_withheld", "total"): 53}),
    ("因涉及国家秘密而不予公开3件，因商业秘密不予公开2件。", {("outcome_withheld", "total"): None}),
    ("2014年，因政府信息公开申请行政复议、行政诉讼均为零。",
     {("reconsideration_total", ""): 0, ("litigation_total", ""): 0}),
])
def test_phrasings_from_all_over_china(text, expected):
    assert_figures(text, expected)


@pytest.mark.parametrize("text", [
    "截至目前，通过网站累计公开政府信息9540条。",  # to this day, since disclosure began
    "2010年我镇通过门户网站公开各类政府信息24余条。2009年工作报告，2009年度。",  # another year
    "设立了1个专门的政府信息申请受理点。",  # a place, not a request
    "上年受理政府信息公开申请12件。",  # last year's
    "不予公开政府信息3条。未收到政府信息公开申请。",  # withheld from proactive disclosure: no request came
])
def test_tempting_numbers_are_not_read(text):
    facts, _ = narrative.extract(doc_of(text))
    assert [f for f in facts if f.value > 0] == []


def test_a_category_list_may_mix_tiao_and_ge_when_it_adds_up_to_the_total():
    text = "2012年度共主动公开政府信息196条,其中年度报告1条,机构调整公告3个,档案180个,月工作计划12个,以上信息主要通过专栏公开。"
    assert_figures(text, {("proactive_items_by_category", "年度报告"): 1, ("proactive_items_by_category", "档案"): 180,
                          ("proactive_items_by_category", "月工作计划"): 12})
    # Not adding up (个 then counts something else), or a list in 个 only: the 个 items are not read.
    short = figures(text.replace("档案180个", "档案18个"))
    assert ("proactive_items_by_category", "档案") not in short
    assert ("proactive_items_by_category", "月工作计划") not in short
    assert not any(k[0] == "proactive_items_by_category" for k in figures(
        "2012年度共主动公开政府信息196条,其中设立查阅点3个,服务窗口12个。"))


def test_a_newspaper_named_by_its_title_is_the_press():
    text = ("2020年,新区卫生健康委员会依法依规主动公开政府信息79条,公开形式分别为兰州新区门户网站、微信公众号、新区报,"
            "其中兰州新区门户网站发布12条,微信公众号发布59条,阅读量17231人次,新区报发布8条。")
    assert_figures(text, {("channel_items", "press"): 8, ("channel_items", "wechat"): 59})
    # 简报 and 公报 are publications of the agency, not the press.
    assert ("channel_items", "press") not in figures(text.replace("新区报发布8条", "工作简报发布8条"))
    assert ("channel_items", "press") not in figures(text.replace("新区报发布8条", "政府公报发布8条"))

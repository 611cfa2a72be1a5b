"""Cleaning: each kind of junk seen in real copies, with the exact text expected after cleaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govdisclosure import clean
from govdisclosure.extract import RawDocument, RawTable, read_raw
from govdisclosure.pipeline import read_document
from support.locations import RAW


def cleaned(*lines: str) -> clean.Document:
    return clean.clean(RawDocument(blocks=list(lines)), "d", "x.txt")


def test_pinyin_annotations_go_before_conversion():
    doc = cleaned("根據(jù)《中華人民共和國(guó)政府信息公開條例》規(guī)定,現(xiàn)向社會(huì)公布報(bào)告。")
    assert doc.text == "根据《中华人民共和国政府信息公开条例》规定,现向社会公布报告。\n"
    assert doc.script == "traditional"
    assert "pinyin_annotations" in doc.problems


def test_parentheses_without_tone_marks_are_kept():
    assert clean.strip_pinyin("公开(ling)项目(a)") == "公开(ling)项目(a)"


def _strip_pinyin_by_callback(text: str) -> str:
    """The rule as first written: brackets of 1–7 pinyin letters after a Chinese character go when a
    letter has a tone mark."""
    return re.sub(rf"\((?<=[{clean._CJK}]\()([a-z{clean._TONED}]{{1,7}})\)",
                  lambda m: "" if re.search(f"[{clean._TONED}]", m.group(1)) else m.group(0), text)


@given(st.text(alphabet=st.sampled_from(["(", ")", "a", "n", "g", "ù", "ǎ", "ü", "據", "公", "开", " ", "1"]),
               max_size=40))
@example("根據(jù)((ling)公(āabcdefg)公(āabcdef)")
def test_strip_pinyin_is_the_callback_rule(text):
    assert clean.strip_pinyin(text) == _strip_pinyin_by_callback(text)


def test_fullwidth_digits_fold_and_chinese_quotes_and_brackets_stay():
    doc = cleaned("主动公开政府信息１，２３４条（占１２．５％），“泸州统计”。")
    assert doc.text == "主动公开政府信息1，234条（占12.5%），“泸州统计”。\n"


def test_spaces_inside_chinese_go_but_spaces_between_digits_stay():
    assert clean.normalise("2023 年 1 月， 总 计 21 0 0 0") == "2023年1月，总计21 0 0 0"


def test_web_chrome_lines_become_header_fields():
    doc = cleaned("宿州市统计局2013年政府信息公开工作年度报告", "", "浏览量: 发表时间:2014-06-20 15:58",
                  "正文。", "解读", "文件下载")
    assert doc.text == "宿州市统计局2013年政府信息公开工作年度报告\n\n正文。\n"
    assert doc.header["发表时间"] == "2014-06-20 15:58"
    assert "web_chrome" in doc.problems


def test_inline_chrome_runs_and_breadcrumbs_are_removed():
    line = ("当前位置： 首页政务公开政府信息公开年报 平潭2013年报告 来源：管委会办公室 时间：2014-01-10 00:00 "
            "微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> 本报告主要根据《条例》编制。 附件下载")
    assert cleaned(line).text == "平潭2013年报告来源：管委会办公室时间：2014-01-10 00:00本报告主要根据《条例》编制。\n"


def test_prose_words_that_look_like_chrome_are_kept():
    doc = cleaned("加强政策解读，通过微信公众号推送信息26条。")
    assert doc.text == "加强政策解读，通过微信公众号推送信息26条。\n"


def test_spam_block_and_everything_after_it_is_dropped():
    doc = cleaned("正文最后一段。", "相关信息",
                  "主站蜘蛛池模板: 野外做受视频| 国产精品一区二区久久| 日本高清黄色片| 免费看黄a级毛片|", "更多垃圾")
    assert doc.text == "正文最后一段。\n"
    assert "spam_block" in doc.problems


def test_gbk_shift_mojibake_is_reported_not_repaired():
    line = "?。ǘ┩晟乒_制度,促进规范管理"
    doc = cleaned("（一）加强组织领导。", line, "（三）落实相关措施?。ǘ┑")
    assert "mojibake" in doc.problems
    assert line in doc.text
    assert any(f.check == "mojibake" for f in doc.findings)


def test_lost_characters_are_reported():
    doc = cleaned("二\ufffd一\ufffd年一月六日")
    assert "replacement_char" in doc.problems
    assert doc.text == "二\ufffd一\ufffd年一月六日\n"


def test_crawler_header_is_taken_out_of_the_body():
    doc = cleaned("标题: 平潭综合实验区2018年度政府信息公开工作年度报告", "发布时间: 2019-01-10 16:13",
                  "==================== 正文 ====================", "正文第一段。")
    assert doc.text == "正文第一段。\n"
    assert doc.header == {"标题": "平潭综合实验区2018年度政府信息公开工作年度报告", "发布时间": "2019-01-10 16:13"}


def test_table_cells_get_offsets_into_the_text():
    raw = RawDocument(blocks=["表头", RawTable([["规章", "１３"], ["", "5"]], [[None, None], [(0, 0), None]])])
    doc = clean.clean(raw, "d", "x.html")
    (table,) = doc.tables
    for row in table.rows:
        for cell in row:
            assert doc.text[cell.start:cell.end] == cell.text
    assert table.rows[0][1].text == "13"
    assert table.rows[1][0].origin == (0, 0) and table.rows[1][0].text == "规章"
    assert doc.text == "表头\n规章\t13\n5\n"


@pytest.mark.parametrize("name", sorted(p.name for p in RAW.iterdir() if p.suffix != ".csv" and p.name != "README.md"))
def test_every_corpus_file_cleans_with_consistent_offsets(name):
    doc = read_document(RAW / name)
    assert doc.text
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                assert doc.text[cell.start:cell.end] == cell.text


def test_corpus_problems_are_recorded(raw_dir: Path):
    problems = {p.name: read_document(p).problems for p in raw_dir.iterdir() if p.suffix == ".txt"}
    assert {"pinyin_annotations", "mojibake"} <= set(problems["001_33c315b6bf25115a.txt"])
    assert {"pinyin_annotations", "spam_block", "web_chrome"} <= set(problems["004_8799f3e0a9f899ab.txt"])
    assert "replacement_char" in problems["002_5be4ad7680cbbca5.txt"]
    assert problems["003_9011374d10fa4802.txt"] == []


def test_mirror_copy_is_simplified_and_stripped_exactly():
    doc = read_document(RAW / "004_8799f3e0a9f899ab.txt")
    assert doc.script == "traditional"
    assert "本年报所列数据的统计期限自201311日起至20131231日止。" in doc.text
    assert "蜘蛛池" not in doc.text and "(bào)" not in doc.text and "您当前所在位置" not in doc.text
    assert doc.header["发文日期"] == "2014-03-04" and doc.header["发布机构"] == "宿迁市人民政府办公室"


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=8),
       st.sampled_from(["条", "件", "人次", "万元", " ", "", "，", "\u3000"]))
def test_cleaning_never_changes_a_figure(numbers, glue):
    line = "主动公开" + glue.join(f"{n:,}" if n % 3 == 0 else str(n) for n in numbers) + "条"
    fullwidth = line.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
    out = cleaned(fullwidth).text
    digits_in = [c for c in line if c.isdigit()]
    assert [c for c in out if c.isdigit()] == digits_in


def test_cms_page_navigation_and_footer_are_removed():
    doc = cleaned("首页 政务公开 政务服务 互动交流 无障碍 长者模式", "XX县人民政府2020年政府信息公开工作年度报告",
                  "政务公开工作稳步推进，主动公开信息1,234条。", "信息公开",
                  "主办单位：XX县人民政府办公室 版权所有 苏ICP备05009042号-1 网站标识码：3208290001",
                  "苏公网安备 32082902000010号 建议使用1920×1080分辨率浏览")
    assert doc.text == "XX县人民政府2020年政府信息公开工作年度报告\n政务公开工作稳步推进，主动公开信息1,234条。\n"


def _strip_chrome_ungated(line: str) -> str:
    """`clean.strip_chrome` as it reads without its shortcuts: every pattern on every line."""
    entries, _gate = clean._chrome_phrases()
    line = re.compile("|".join(f"(?:{regex})" for regex, _ in entries)).sub(" ", line)
    anywhere, start, end, _one, _tokens = clean._chrome_runs()
    return end.sub("", start.sub("", anywhere.sub(" ", line))).strip()


def test_every_chrome_regex_names_trigger_words_it_contains():
    entries, gate = clean._chrome_phrases()
    assert gate is not None, "a regular expression in chrome_phrases.txt has no trigger words"
    for regex, triggers in entries:
        assert all(word in regex.replace("\\", "") for word in triggers), (regex, triggers)


_CHROME_WORDS = ["首页", "政务公开", "信息公开", "解读", "微信", "微博", "打印", "关闭", "字号：大 中 小", "当前位置：",
                 "浏览量：12", "阅读：3次", "主办单位：某局", "京ICP备1234号", "版权所有", "-->", "扫一扫在手机打开当前页"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CHROME_WORDS + ["主动公开信息26条", "当前", "。", " ", "|", "：", "a", "2021年"]),
                max_size=12))
@example(["主动公开信息26条", "。", "首页", " ", "微信", " ", "微博", "。", "主动公开信息26条"])
@example(["主动公开信息26条", "。", "解读", " ", "打印", "|", "关闭", " "])
def test_chrome_shortcuts_change_no_result(pieces):
    line = "".join(pieces)
    assert clean.strip_chrome(line) == _strip_chrome_ungated(line)


def test_chrome_shortcuts_change_no_result_on_the_corpus(raw_dir: Path):
    lines = [block for path in sorted(raw_dir.rglob("*")) if path.suffix in (".txt", ".html", ".htm")
             for block in read_raw(path, path.read_bytes()).blocks if isinstance(block, str)]
    assert len(lines) > 400
    assert [clean.strip_chrome(clean.fold(x)) for x in lines] == [_strip_chrome_ungated(clean.fold(x)) for x in lines]


@pytest.mark.parametrize("markup", ["MSO-bidi-font-family: 宋体", "<O:P></O:P>", "<!--[IF gte mso 9]>",
                                    "NORMAL 0 7.8 磅", "w:worddocument"])
def test_word_markup_is_found_in_any_letter_case(markup):
    assert "word_markup" in cleaned("正文。", markup).problems

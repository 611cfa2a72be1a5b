"""Provincial statistics tables: spaced and flattened rows, and how a flattened pair is split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.transform.narrative.stats_table import find_tables, resolve

SPACED = ("平潭综合实验区政府信息公开情况统计表 指标名称 计量单位 2013年度 历年累计 主动公开信息数 条 72804 76424 "
          "其中：1、网站公开 条 72804 76424 2、政府公报公开 条 0 受理依申请公开信息总数 条 0 0 "
          "其中：1、当面申请数 条 0 0 2、传真申请数 条 0 0 行政复议数 件 0 0 附件下载")
FLATTENED = ("六、政府信息公开情况统计表指标名称计量单位2018年度历年累计主动公开文件数条206912106"
             "其中：1.政府网站公开数条2069121062.政府公报公开数条00受理依申请公开信息总数条00"
             "其中：1.当面申请数条002.网上申请数条003.信函、传真申请数条00对申请的答复总数条00行政诉讼数件00")


def test_spaced_rows():
    (table,) = find_tables(SPACED)
    assert table.spaced
    resolve(table)
    rows = [(r.label, r.unit, r.value, r.parent) for r in table.rows]
    assert rows == [
        ("主动公开信息数", "条", (72804, 76424), None),
        ("网站公开", "条", (72804, 76424), 0),
        ("政府公报公开", "条", (0, None), 0),  # the cumulative cell is empty
        ("受理依申请公开信息总数", "条", (0, 0), None),
        ("当面申请数", "条", (0, 0), 3),
        ("传真申请数", "条", (0, 0), 3),
        ("行政复议数", "件", (0, 0), None),
    ]
    assert SPACED[table.rows[0].start:table.rows[0].end] == "主动公开信息数 条 72804 76424"


def test_flattened_rows_and_item_numbers():
    (table,) = find_tables(FLATTENED)
    assert not table.spaced
    labels = [r.label for r in table.rows]
    assert labels == ["主动公开文件数", "政府网站公开数", "政府公报公开数", "受理依申请公开信息总数", "当面申请数",
                      "网上申请数", "信函、传真申请数", "对申请的答复总数", "行政诉讼数"]
    assert table.rows[1].candidates == [(20, 6912106), (206, 912106), (2069, 12106)]  # "2." stripped


def test_flattened_pair_resolved_by_the_prose_and_the_sums():
    (table,) = find_tables(FLATTENED)
    findings = resolve(table, {0: {2069.0}})
    assert findings == []
    assert table.rows[0].value == (2069, 12106)
    assert table.rows[1].value == (2069, 12106)  # parent = 网站 + 公报(0)


def test_flattened_pair_without_evidence_is_not_read():
    (table,) = find_tables(FLATTENED)
    findings = resolve(table)
    assert table.rows[0].value is None and table.rows[1].value is None
    assert {f.check for f in findings} == {"stats_split_ambiguous"}
    assert len(findings) == 2


def test_sums_alone_can_force_a_split():
    text = "指标名称计量单位本年度历年累计受理申请总数条1220其中：1.当面申请数条5102.网上申请数条710"
    (table,) = find_tables(text)
    assert resolve(table) == []
    assert [r.value for r in table.rows] == [(12, 20), (5, 10), (7, 10)]


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=99_999))
def test_a_split_forced_by_the_prose_is_the_printed_one(this, extra):
    total = this + extra
    text = f"指标名称计量单位本年度历年累计主动公开信息数条{this}{total}行政复议数件00"
    (table,) = find_tables(text)
    resolve(table, {0: {float(this)}})
    assert table.rows[0].value == (this, total)
    assert all(c[0] <= c[1] for c in table.rows[0].candidates)

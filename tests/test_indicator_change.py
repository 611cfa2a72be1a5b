"""Indicators of change on last year: exact values by hand on two consecutive reports of one agency,
the rules for pairs and zero or missing last-year figures, carried flags, and the same rows from
the serial and the pool runs."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt
import pytest

from govdisclosure import indicators
from govdisclosure import run as corpus_run
from govdisclosure.pipeline import process_file
from govdisclosure.validate.indicator_change import COUNT_COLUMNS, change_of, change_rows
from support.locations import RAW

LUZHOU = "003_9011374d10fa4802.txt"  # 泸州市统计局 2017: 811 items, 41 portal, 696 own website, 6 weibo, 26 wechat


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """The 2017 report with its portal figure set to 0, and a 2018 report of the same agency
    (1000 items, 522 on its own website, the rest as in 2017)."""
    corpus = tmp_path_factory.mktemp("luzhou")
    text = (RAW / LUZHOU).read_text(encoding="utf-8")
    (corpus / "2017.txt").write_text(text.replace("通过市政府网站主动公开41条", "通过市政府网站主动公开0条"), encoding="utf-8")
    (corpus / "2018.txt").write_text(text.replace("2017", "2018").replace("2016", "2017")
                                     .replace("811条", "1000条").replace("696条", "522条"), encoding="utf-8")
    return corpus


def test_change_by_hand_and_serial_equals_pool(two_years, tmp_path):
    serial = corpus_run.run([two_years], tmp_path / "serial", engine="serial", collect=True).tables
    pool = corpus_run.run([two_years], tmp_path / "pool", engine="pool", workers=2, batch_size=1, collect=True).tables
    pdt.assert_frame_equal(serial["indicators"], pool["indicators"])
    later = serial["reports"].set_index("report_year").loc[2018, "doc_id"]
    change = serial["indicators"][serial["indicators"].kind == "change"]
    assert set(change.doc_id) == {later}
    got = {row.indicator: (row.numerator, row.denominator, row.value) for row in change.itertuples()}
    assert got == {
        "proactive_items_change": (1000 - 811, 811, (1000 - 811) / 811),
        "channel_items_agency_website_change": (522 - 696, 696, -0.25),
        "channel_items_weibo_change": (0, 6, 0.0),
        "channel_items_wechat_change": (0, 26, 0.0),
    }  # the portal went from 0 to 41: no row, never infinity
    assert (change.denominator_kind == "last_year").all() and change.flag.isna().all()


def test_pingtan_2018_to_2019_by_hand():
    docs = [process_file(RAW / f"pingtan_zone_{year}.txt") for year in (2018, 2019)]
    reports = pd.DataFrame([doc.reports[0] for doc in docs])
    counts = pd.DataFrame([row for doc in docs for row in doc.indicators if row["kind"] == "count"],
                          columns=COUNT_COLUMNS)
    rows = change_rows(reports, counts)
    # 2019 prints only its total (2,599); 2018's channels have nothing to compare with.
    assert [(r["indicator"], r["numerator"], r["denominator"]) for r in rows] == [("proactive_items_change", 530, 2069)]
    assert rows[0]["value"] == pytest.approx(530 / 2069) and rows[0]["doc_id"] == docs[1].reports[0]["doc_id"]


def frames(reports, counts):
    return (pd.DataFrame(reports, columns=["doc_id", "agency_name", "report_year"]),
            pd.DataFrame(counts, columns=COUNT_COLUMNS))


def test_pairs_missing_and_zero_figures_and_flags():
    reports, counts = frames(
        [("a1", "甲局", 2020), ("a2", "甲局", 2021), ("a4", "甲局", 2023),  # 2022 missing: 2023 has no pair
         ("b1", "乙局", 2020), ("b2", "乙局", 2021), ("b3", "乙局", 2021)],  # two 2021 reports: no pair
        [("a1", "proactive_items", 100.0, "text_contradicts_table"), ("a2", "proactive_items", 50.0, None),
         ("a1", "channel_items_weibo", 0.0, None), ("a2", "channel_items_weibo", 7.0, None),
         ("a2", "channel_items_wechat", 7.0, None),  # last year's not printed
         ("a4", "proactive_items", 10.0, None),
         ("b1", "proactive_items", 1.0, None), ("b2", "proactive_items", 2.0, None), ("b3", "proactive_items", 3.0, None)])
    rows = change_rows(reports, counts)
    assert rows == [{"doc_id": "a2", "indicator": "proactive_items_change", "kind": "change", "value": -0.5,
                     "numerator": -50.0, "denominator": 100.0, "denominator_kind": "last_year",
                     "definition_version": 1, "flag": "text_contradicts_table"}]
    assert change_rows(*frames([], [])) == []


def test_every_count_has_its_change_and_per_report_compute_skips_them():
    counts = [d.code for d in indicators.definitions() if d.kind == "count"]
    assert sorted(change_of()) == sorted(counts)
    assert all(change_of()[code].code == f"{code}_change" for code in counts)
    rows = process_file(RAW / LUZHOU).indicators
    assert rows and not [r for r in rows if r["kind"] == "change"]

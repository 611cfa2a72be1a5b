"""Places in agency names, resolved against official administrative division codes.

The division list is the national 12-digit code table (统计用区划代码) shipped with the `cpca`
package (`cpca/resources/adcodes.csv`); we use its data, not its address parser, because an agency
name is not an address: it is a chain of division names at the very start of the name
(江苏省淮安市洪泽区…), often with levels skipped (洪泽区人民政府, 鹤山市统计局). The chain is read
greedily from the left; a level-skipping name that is ambiguous (朝阳区) is resolved by the
parents the report's own text mentions, and left unresolved when it still is. Units that the code
table lacks (comprehensive experimental zones and similar) are data in `data/extra_divisions.csv`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}
# 省直辖县级行政区划 in Henan, Hubei, Hainan and Xinjiang: county-level cities with no prefecture.
_DIRECT_PREFIXES = ("4190", "4290", "4690", "6590")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # provincial | prefecture | county
    province_administered: bool = False  # a county-level unit with no prefecture city above it

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0" * 10

    @property
    def city_code(self) -> str:
        return self.code[:4] + "0" * 8


@dataclass(frozen=True)
class Place:
    """Where an agency sits: full names, empty when not applicable."""

    province: str = ""
    city: str = ""
    county: str = ""
    prefix_end: int = 0  # characters of the agency name taken by the place chain

    @property
    def level(self) -> str:
        if self.county:
            return "county"
        if self.city:
            return "prefecture"
        return "provincial" if self.province else ""


def _level(code: str) -> str:
    if code[2:] == "0" * 10:
        return "provincial"
    if code[4:] == "0" * 8:
        return "prefecture"
    return "county"


@cache
def divisions() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    """(by code, by name) indexes of the division table, built once per process."""
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    with resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as fh:
        rows = [(row["adcode"], row["name"], row["adcode"].startswith(_DIRECT_PREFIXES))
                for row in csv.DictReader(fh)]
    with resources.files("govdisclosure").joinpath("data/extra_divisions.csv").open(encoding="utf-8") as fh:
        rows += [(row["code"], row["name"], row["province_administered"] == "1") for row in csv.DictReader(fh)]
    for code, name, direct in rows:
        if name in _PLACEHOLDERS or not code[:6].isdigit():
            continue
        division = Division(code, name, _level(code), direct)
        by_code[code] = division
        by_name.setdefault(name, []).append(division)
    return by_code, by_name


@cache
def _max_name_length() -> int:
    return max(len(name) for name in divisions()[1])


def _match_at(name: str, start: int) -> list[Division]:
    """Divisions whose full name stands at `start` of `name`, longest name first."""
    by_name = divisions()[1]
    for length in range(min(_max_name_length(), len(name) - start), 1, -1):
        found = by_name.get(name[start:start + length])
        if found:
            return found
    return []


def locate(agency_name: str, context: str = "") -> Place:
    """The place chain at the start of an agency name.

    Args:
        agency_name: e.g. 淮安市洪泽区人民政府.
        context: the report's text, used only to choose between same-named divisions.
    """
    by_code = divisions()[0]
    chain: list[Division] = []
    position = 0
    while position < len(agency_name):
        found = _match_at(agency_name, position)
        if chain:
            found = [d for d in found if d.code.startswith(_stem(chain[-1]))]
        if not found:
            break
        if len(found) > 1:
            found = _disambiguate(found, context)
            if len(found) != 1:
                break
        chain.append(found[0])
        position += len(found[0].name)
    if not chain:
        return Place()
    deepest = chain[-1]
    province = by_code.get(deepest.province_code)
    city = by_code.get(deepest.city_code) if deepest.level == "county" else (
        deepest if deepest.level == "prefecture" else None)
    if province and province.code[:2] in MUNICIPALITIES:
        city = None
    if deepest.province_administered:
        city = None
    return Place(province.name if province else "", city.name if city else "",
                 deepest.name if deepest.level == "county" else "", position)


def _stem(division: Division) -> str:
    return division.code[:2] if division.level == "provincial" else division.code[:4]


def _disambiguate(found: list[Division], context: str) -> list[Division]:
    """Keep the candidates whose province or city the text names most often."""
    by_code = divisions()[0]

    def mentions(d: Division) -> int:
        parents = {by_code.get(d.province_code), by_code.get(d.city_code)} - {None, d}
        return sum(context.count(p.name) for p in parents if p)

    scores = [mentions(d) for d in found]
    best = max(scores)
    return [d for d, s in zip(found, scores) if s == best] if best else found


def is_municipal_district(place: Place) -> bool:
    """A 市辖区 (district of a prefecture city): named with its city prefix by convention."""
    return bool(place.county and place.city and place.county.endswith("区"))

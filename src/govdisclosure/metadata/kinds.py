"""What kind of body the agency is, its administrative level, and whose figures its report gives.

The kind follows from the end of the agency's name (人民政府, 办公厅, …局, 街道办事处, 管理委员会),
by ordered rules in `data/agency_kinds.csv`, the first that matches: bodies led from above
(税务, 海关, 气象 …) before the generic 局, a government's office before the government. The level
follows from the kind and the place: a township or sub-district is `township` whatever the
gazetteer knows, a central body without place is `national`, others take the level of their place.

Whose figures the report gives (`reports.scope`) is decided by `govdisclosure.scope`, the rule the
fact extractors use too.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from govdisclosure import gazetteer


@cache
def _rules() -> list[tuple[re.Pattern[str], str]]:
    with resources.files("govdisclosure").joinpath("data/agency_kinds.csv").open(encoding="utf-8") as fh:
        return [(re.compile(row["pattern"]), row["kind"]) for row in csv.DictReader(fh)]


def agency_kind(name: str) -> str | None:
    """government, government_office, department, vertical_agency, zone, township, subdistrict or None."""
    if not name:
        return None
    return next((kind for pattern, kind in _rules() if pattern.search(name)), None)


def admin_level(name: str, place: gazetteer.Place, kind: str | None, national: re.Pattern[str]) -> str:
    """national, provincial, prefecture, county, township, or empty when unknown."""
    if not name:
        return ""  # a province read from the text alone says where, not at which level
    if kind in ("township", "subdistrict"):
        return "township"
    if not place.province and name and national.search(name):
        return "national"
    return place.level

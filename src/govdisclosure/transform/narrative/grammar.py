"""The small grammar of "measure phrase + number + unit" that the narrative extractor applies.

A figure in prose is a count (number + unit, see `numbers`) preceded by the phrase that says what
was counted: ``全市共受理政府信息公开申请`` + ``246件``. The phrase decides the measure; the unit
must fit it (a press conference is counted in 次/场, a fee in 元). The phrases are data, not code:
`data/narrative_phrases.csv` lists, in priority order, a pattern the phrase must contain, words
it must not contain, the object it needs (in the phrase or earlier in the sentence), the context it needs (``其他原因`` counts only inside a 不予公开 breakdown,
``维持`` only after 行政复议), the era it belongs to and the units it takes; channel names are in
`data/narrative_channels.csv`. Editing those files is how the grammar is extended; this module only
interprets them. Two measures need more than a pattern and are code here: the proactive total
(the words between 公开 and 信息 must be generic, otherwise the figure is about one topic) and
category labels (a noun phrase, not a clause), which are checked on jieba words so that
``政府信息公开指南`` counts as a noun although it contains 公开.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from govdisclosure.measures import measures


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of `narrative_phrases.csv` (see the module docstring for the columns)."""

    measure: str
    breakdown: str
    pattern: re.Pattern | None
    also: re.Pattern | None
    object: re.Pattern | None
    exclude: re.Pattern | None
    group: str
    era: str
    source: str
    units: frozenset[str]
    compete: str


@dataclass(frozen=True, slots=True)
class Match:
    """The measure a phrase names."""

    measure: str
    breakdown: str


def _compile(pattern: str) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


def _data_rows(name: str) -> list[dict[str, str]]:
    with resources.files("govdisclosure").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def rules() -> tuple[Rule, ...]:
    """The phrase rules in priority order, loaded once per process."""
    return tuple(
        Rule(r["measure"], r["breakdown"],
             None if r["pattern"] == "@proactive" else _compile(r["pattern"]),
             _compile(r["also"]), _compile(r["object"]), _compile(r["exclude"]), r["group"], r["era"], r["source"],
             frozenset(r["units"].split("|")), r["compete"])
        for r in _data_rows("narrative_phrases.csv"))


@cache
def _channel_rules() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((r["channel"], re.compile(r["pattern"])) for r in _data_rows("narrative_channels.csv"))


@cache
def _any_channel() -> re.Pattern:
    """All channel patterns as one: a text it does not find names no channel (checked first, quickly)."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _channel_rules()))


def channel_mentions(text: str) -> list[tuple[int, str]]:
    """Channels named in `text`, as (position, channel code), in text order.

    Earlier rows of the vocabulary claim their characters first, so 市政府网站 is one portal
    mention, not a portal and a bare 网站.
    """
    if not _any_channel().search(text):
        return []
    claimed: list[tuple[int, int]] = []
    found = []
    for channel, pattern in _channel_rules():
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in claimed):
                continue
            claimed.append((m.start(), m.end()))
            found.append((m.start(), channel))
    return sorted(found)


def channel_of(text: str) -> str | None:
    """The one channel `text` names, or None when it names none or several.

    Words in brackets restate or qualify (中国林业网(国家林业和草原局政府网), 网站(含转发)): they
    name no second channel.
    """
    channels = {c for _, c in channel_mentions(_BRACKETED.sub("", text))}
    return channels.pop() if len(channels) == 1 else None


@cache
def _other_counts() -> tuple[tuple[str, bool, re.Pattern], ...]:
    return tuple((r["thing"], r["after_count"] == "yes", re.compile(r["pattern"]))
                 for r in _data_rows("narrative_other_counts.csv"))


def other_thing(text: str, *, after_count: bool = False) -> str:
    """The thing outside the measures that `text` names as counted (`data/narrative_other_counts.csv`).

    Args:
        text: the words around a count.
        after_count: `text` is the noun right after the count (1个|申请受理点); only the things
            that, named there, are what is counted whatever the words before say are looked for.

    Returns:
        The thing's code (``reception_point``, ``letters_and_mailboxes`` …) or "".
    """
    return next((thing for thing, veto, pattern in _other_counts()
                 if (veto or not after_count) and pattern.search(text)), "")


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


# 主动公开 … 信息 / 公开 … 政府信息: the proactive total. Group "q" holds the words between the verb
# and 信息; they must be generic (各类, 各项 …) — "公开征地信息" or "发布财政资金信息" is one topic.
# 资讯 is how traditional-script pages (資訊) say 信息; 政务信息 is 政府信息 in many reports, and
# 发布各类信息 (q3) says it is everything published. A verb
# after 不予/不/申请 is an answer to a request (不予公开政府信息3条), never proactive disclosure.
_QUALIFIER = r"(?:(?!公开|公布|发布)[^，,。；;：:]){0,16}?"
PROACTIVE_RE = re.compile(
    rf"(?:主动(?:公开|发布|公布)(?:了)?(?P<q1>{_QUALIFIER})(?:信息|资讯|文件)"
    rf"|(?<!不予)(?<!不)(?<!申请)(?:公开|公布|发布)(?:了)?(?P<q2>{_QUALIFIER})(?:政府|政务)(?:信息公开)?(?:信息|资讯)"
    rf"|(?<!不予)(?<!不)(?<!申请)(?:公开|公布|发布)(?:了)?(?P<q3>各类|各项|全部|所有)(?:信息|资讯))"
    r"(?:数|数量|总数|量|件数|条数)?(?:的)?(?:共计|总计|合计|共|累计)?(?:为|达到|达|有|是)?\s*$")
_GENERIC_QUALIFIER = re.compile(r"^(?:政府|的|各类|各种|各项|全部|所有|[^，,。]*(?:各类|各种|各项))?$")
# 其中 before the verb makes the figure a part of a larger one, unless what follows is this year's
# proactive disclosure itself (全年制作信息236条，其中主动公开信息158条; 其中2010年新增主动公开…).
_PART_OF = re.compile(r"其他|其它|其中(?![，,:：]?(?:\d{4}年度?|本年度?|今年|全年)?(?:新增)?主动)")


def is_proactive_total(phrase: str) -> bool:
    """Whether `phrase` (the words before a count) announces the total of proactive disclosure."""
    m = PROACTIVE_RE.search(phrase)
    if not m:
        return False
    qualifier = next((q for q in (m["q1"], m["q2"], m["q3"]) if q is not None), "")
    if _PART_OF.search(phrase[: m.end()]):
        return False
    return bool(_GENERIC_QUALIFIER.match(qualifier.replace("政府", "", 1)))


# Words that make a phrase a comparison, a rate, a change or a cumulative figure, not this year's count;
# each with the reason the audit gives for rejecting the number.
_NOT_A_COUNT = (
    ("change", re.compile(r"(?:比|较)(?:上|去|前|同期|\d|[〇○零一二三四五六七八九]{4})|同比|环比|增加|减少|增长|下降|"
                          r"提高|新增(?!主动|公开|发布)|多出|(?:多|少)$")),
    # 2011年以来 and 今年以来 are judged with the report year (extractor._dated); 2008年以来 is cumulative there.
    ("cumulative", re.compile(r"历年|(?<!\d年)(?<!今年|本年|年初)以来")),
    # 上年度结转 is this year's carried-over requests (its own rule), every other 上年/去年 figure is not this year's.
    ("last_year", re.compile(r"上一?年(?!度?结转)|去年|前一年")),
    ("average", re.compile(r"平均|[日月年周]均")),
    # A count right after these characters is an ordinal or a rate: 第一次, 每月一期, 前三季度, 八届四次.
    ("ordinal_or_rate", re.compile(r"[第每前逐届](?:[月年周期天日季])?$")),
    # 没有发生一起, 未收到一件: the count belongs to the negation (a statement of absence, read as 0 elsewhere).
    ("negated", re.compile(r"(?:没有|未|无)(?:发生|收到|受理|接到|出现|有)?过?$")),
    # 其中 + an organisational unit: a subtotal of part of the jurisdiction, never the measure itself.
    ("part_of_jurisdiction", re.compile(r"其中[^，,。；;]{0,6}?(?:本级|市级|区级|县级|(?<![本属])(?:单位|部门|乡镇|街道))"
                                        r"|^\s*(?:其中|另外|而)?各(?:市|县|区|乡|镇|街道|级|地|部门|单位|直属)(?!.*(?:共|合计|总计))")),
)


def not_a_count(phrase: str) -> str:
    """Why the words before a number show it is not a count of the year ("" when they do not).

    Returns:
        ``change`` (比上年, 增长 …), ``cumulative`` (历年, 以来),
        ``last_year`` (上年, 去年), ``average``, ``ordinal_or_rate`` (第, 每), ``negated``
        (没有发生一起) or ``part_of_jurisdiction`` (其中市级 …, 各县级政府 …).
    """
    return next((reason for reason, pattern in _NOT_A_COUNT if pattern.search(phrase)), "")


@cache
def _eras() -> dict[str, str]:
    return measures()["era"].to_dict()


def _era_allows(measure: str, rule_era: str, national: bool) -> bool:
    """Pre-2019 measures are not read in the national formats, 2019+ ones not in narrative reports."""
    era = _eras()[measure]
    if rule_era == "narrative" and national:
        return False
    if era == "pre2019":
        return not national
    return national or era == "all"


@cache
def _applicable(source: str, unit: str, group: str, national: bool) -> tuple[tuple[Rule, ...], re.Pattern | None]:
    """The rules, in priority order, that a phrase in this source, unit, group and era may match,
    and all their patterns as one (most phrases match none, which one search then shows).

    These conditions do not depend on the phrase, so they are settled once per combination
    (a few dozen per process) rather than for every count of every document.
    """
    applicable = tuple(rule for rule in rules()
                       if rule.source in ("both", source) and unit in rule.units
                       and (not rule.group or rule.group == group) and _era_allows(rule.measure, rule.era, national))
    patterns = [rule.pattern.pattern for rule in applicable if rule.pattern is not None]
    return applicable, re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def classify(phrase: str, unit: str, *, group: str = "", national: bool = False,
             source: str = "text", context: str = "") -> Match | None:
    """The measure that `phrase` names for a count in `unit`, or None.

    Args:
        phrase: the words printed before the number (the clause up to it).
        unit: the count unit printed after the number.
        group: the breakdown the phrase sits in (``withheld``, ``review``, ``litigation``,
            ``proactive`` …), from the words before it in the paragraph or the parent table row.
        national: the document is a 2019/2021-format report.
        source: ``text`` for prose, ``table`` for a statistics-table row label.
        context: the sentence before `phrase`. A rule with an ``object`` (``办结`` needs 申请) takes
            its object from there when the phrase has none (``…申请246件,共办理答复246件``), and
            then the context must not name something else (``咨询投诉件…已办结15042件``).

    Returns:
        The measure and breakdown, or None when no rule fits (the figure is not read).
    """
    applicable, any_pattern = _applicable(source, unit, group, national)
    if any_pattern is not None and not any_pattern.search(phrase):
        # No rule's pattern occurs: only the proactive total, which has no pattern, may still fit.
        proactive = next((rule for rule in applicable if rule.pattern is None), None)
        return Match(proactive.measure, "") if proactive and is_proactive_total(phrase) else None
    chosen: list[tuple[int, Rule]] = []
    for rule in applicable:
        if rule.pattern is None:
            if is_proactive_total(phrase):
                return Match(rule.measure, "")
            continue
        m = rule.pattern.search(phrase)
        if not m or (rule.also and not rule.also.search(phrase)) or (rule.exclude and rule.exclude.search(phrase)):
            continue
        if rule.object and not rule.object.search(phrase) and not (
                rule.object.search(context) and not (rule.exclude and rule.exclude.search(context))):
            continue
        if rule.breakdown == "@channel" and not channel_of(phrase):
            continue
        if not chosen:
            chosen.append((m.start(), rule))
            if not rule.compete:
                break
        elif rule.compete == chosen[0][1].compete:
            chosen.append((m.start(), rule))
    if not chosen:
        return None
    position, rule = min(chosen, key=lambda c: c[0])
    if rule.compete == "answer" and len({r.measure for _, r in chosen}) > 1:
        return None  # 予以公开及部分公开258件 is a sum of two outcomes, not either of them
    if rule.compete == "outcome" and _SEVERAL.search(phrase, position):
        return None  # 因本机关不掌握等原因无法提供265件: several reasons together
    # Otherwise a label that joins two reasons or methods (申请内容不明确或转其他途径办理,
    # 信函、传真申请数) is coded under the first, as docs/coding_rules.md does.
    return Match(rule.measure, channel_of(phrase) if rule.breakdown == "@channel" else rule.breakdown)


_SEVERAL = re.compile(r"等(?:原因|情形|理由|情况)")


# ---------------------------------------------------------------------------------------------
# Category labels: jieba words, with the domain dictionary loaded once per process.

_tokenizer = None


def words(text: str) -> list[str]:
    """`text` cut into words by jieba with the domain dictionary (政府信息公开, 依申请公开 … stay whole)."""
    return list(_words(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    # Cached: category labels (工作动态类, 人事类 …) recur from report to report.
    global _tokenizer
    if _tokenizer is None:
        import jieba  # imported here: only documents with a category list pay for it

        jieba.setLogLevel(60)
        tokenizer = jieba.Tokenizer()
        with resources.as_file(resources.files("govdisclosure").joinpath("data/jieba_domain_dict.txt")) as path:
            tokenizer.load_userdict(str(path))
        _tokenizer = tokenizer
    return tuple(_tokenizer.lcut(text))


_LABEL_VERBS = frozenset({"公开", "主动公开", "发布", "公布", "推送", "更新", "通过", "占", "共", "累计", "办理",
                          "受理", "收到", "答复", "举办", "开展", "编制", "印发", "制作", "达", "为", "有", "是"})
_NOUN_VERBS = frozenset({"公开", "办理"})
_ENTITY_END = re.compile(r"(?:局|委|办|厅|部门|单位|政府|乡镇|街道|镇|乡|县|区|市|中心)$")
_LABEL_LEAD = re.compile(r"^(?:其中|包括|分别为|分别是|分别(?:公开|发布|公布)(?:了)?|主要有|有|为|是|：|:|、|\s)+")
_QUOTED_LABEL = re.compile(r"^[“\"]([^”\"]{1,30})[”\"](?:发布量|公开量|数量|信息数|条数|数)?(?:为|达)?$")
_KIND = re.compile(r"类(?:的)?(?:信息|资讯)?$")
# 业务公开累计296条 inside a year's list: the label is 业务公开.
_LABEL_TRAIL = re.compile(r"(?:累计|共计|合计|总计|共)\s*$")
_NOT_IN_LABEL = re.compile(r"\d|[《》“”\"]")


def category_label(segment: str) -> str | None:
    """The printed category label of a list item (``工作动态类``), or None when it is not one.

    A label is a short noun phrase: no verb word, no digits, not a channel, not an organisation
    (``各乡镇`` is a part of the jurisdiction, not a kind of information).
    """
    label = label_shape(segment)
    return None if label is None or names_an_action(label) else label


def label_shape(segment: str) -> str | None:
    """The label `category_label` would return, before its verb test: the cheap checks only."""
    label = _LABEL_TRAIL.sub("", _LABEL_LEAD.sub("", segment)).strip()
    if quoted := _QUOTED_LABEL.match(label):  # “政策法规”发布量22条
        label = quoted[1]
    if not label or len(label) > 30 or _NOT_IN_LABEL.search(label):
        return None
    # 水利公报类信息: a label that says it is a kind (类) is a category even when it names a channel.
    if channel_mentions(label) and not _KIND.search(label):
        return None
    return None if _ENTITY_END.search(label) else label


def names_an_action(label: str) -> bool:
    """Whether a jieba word of `label` is a verb (公开, 发布 …), which makes it a clause, not a label.

    Only a label that contains a verb's characters is cut into words (公开 in 政府信息公开指南 is
    part of a noun); jieba is by far the slowest step of reading a list.
    """
    if not any(verb in label for verb in _LABEL_VERBS):
        return False
    cut = words(label)
    verbs = {w for w in cut if w in _LABEL_VERBS}
    # 业务公开, 其它公开信息, 建议提案办理复文: a kind of information named by a topic and the verb
    # that produced it is a noun phrase; a label that opens with a verb (公开…, 主动公开…) or has
    # any other verb (发布, 受理 …) is a clause.
    return bool(verbs) and not (verbs <= _NOUN_VERBS and cut[0] not in _LABEL_VERBS)


def normalise_category(label: str) -> str:
    """The coding rule of docs/coding_rules.md: drop a trailing 信息, then a trailing 的, then a trailing 类."""
    for suffix in ("信息", "资讯", "的", "类"):
        if label.endswith(suffix) and len(label) > len(suffix):
            label = label[: -len(suffix)]
    return label

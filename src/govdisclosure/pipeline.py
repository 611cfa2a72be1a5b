"""The per-document pipeline: one file's bytes in, the rows of every output table out.

`process_file` is the unit of work: bytes in, the rows of every output table for that one
document out, never an exception (a file that cannot be read becomes a reports row plus an error in
checks). Because it is a pure function of the file's bytes and path, the same function serves the
single-process run, the process pool and the Dask engine, and its result can be cached by content
hash for incremental runs. Per-process start-up (OpenCC dictionaries, the gazetteer, jieba) sits
behind `functools.cache` in the modules that own it, so each worker pays it once.
"""

from __future__ import annotations

import hashlib
import math
import stat
from dataclasses import dataclass, field
from pathlib import Path

from govdisclosure import clean, indicators, metadata, schema, sections
from govdisclosure.document import Document, Finding
from govdisclosure.extract import UnreadableDocument, read_raw
from govdisclosure.limits import DEFAULT as DEFAULT_LIMITS
from govdisclosure.limits import LimitExceeded, Limits, TimeLimitExceeded, checkpoint, time_limit
from govdisclosure.transform import extract_facts
from govdisclosure.walk import display_path


def doc_id_of(data: bytes) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the raw bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read and clean one file into a `Document` (raises `UnreadableDocument`)."""
    path = Path(path)
    data = path.read_bytes() if data is None else data
    raw = read_raw(path, data)
    return clean.clean(raw, doc_id_of(data), str(path))


@dataclass
class DocResult:
    """The rows one document contributes to each output table."""

    reports: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)


def process_file(path: str | Path, data: bytes | None = None, source_path: str | None = None,
                 limits: Limits | None = None) -> DocResult:
    """Everything about one file, as table rows. Never raises for a bad file.

    Whatever goes wrong becomes a reports row plus an `error` in checks whose message names the
    file and says what is wrong: a file that cannot be read (`unreadable_file`), content that is not
    a readable report file (`unreadable_document`), a file over one of `limits` or slower than its
    time limit (`limit_exceeded`), and a failure of the code itself (`reader_failed`,
    `extraction_failed`), which is reported rather than allowed to stop a corpus run.

    Args:
        path: the file; its suffix chooses the reader.
        data: the file's bytes, when the caller has read them already.
        source_path: the path to report, when it differs from `path`.
        limits: size and time limits; `govdisclosure.limits.DEFAULT` when None.
    """
    limits = limits or DEFAULT_LIMITS
    path = Path(path)
    source = display_path(source_path if source_path is not None else str(path))
    if data is None:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                return _failed("unreadable_file", source, doc_id_of(source.encode()),
                               f"{source} is {_file_kind(info.st_mode)}, not a regular file, "
                               f"and was not read")
            if limits.max_file_bytes and info.st_size > limits.max_file_bytes:
                return _failed("limit_exceeded", source, hash_file(path),
                               _too_large(source, info.st_size, limits))
            data = path.read_bytes()
        except OSError as exc:
            return _failed("unreadable_file", source, doc_id_of(source.encode()),
                           f"{source} could not be read: {exc.strerror or exc}")
    elif limits.max_file_bytes and len(data) > limits.max_file_bytes:
        return _failed("limit_exceeded", source, doc_id_of(data), _too_large(source, len(data), limits))
    doc_id = doc_id_of(data)
    try:
        with time_limit(limits.seconds):
            return _extract(path, data, source, doc_id, limits)
    except TimeLimitExceeded:
        # Not how far it got: that depends on the machine's load, and a rerun must give the same rows.
        return _failed("limit_exceeded", source, doc_id, f"{source} took longer than the limit of "
                       f"{limits.seconds:g} seconds per document and was skipped")


def _extract(path: Path, data: bytes, source: str, doc_id: str, limits: Limits) -> DocResult:
    checkpoint("reading the file")
    try:
        doc = clean.clean(read_raw(path, data, limits, source), doc_id, source)
    except LimitExceeded as exc:
        return _failed("limit_exceeded", source, doc_id, str(exc))
    except UnreadableDocument as exc:
        return _failed("unreadable_document", source, doc_id, str(exc), exc.problems)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the corpus: report it
        return _failed("reader_failed", source, doc_id,
                       f"{source} could not be read ({type(exc).__name__}: {exc}); this is a bug in "
                       f"govdisclosure, please report it together with the file")
    try:
        checkpoint("finding the title, agency and year")
        meta = metadata.describe(doc)
        checkpoint("splitting the sections")
        parts = sections.split(doc, meta.template)
        findings: list[Finding] = list(doc.findings) + sections.findings(doc, parts, meta.template)
        checkpoint("extracting the figures")
        facts, fact_findings = extract_facts(doc, meta.template) if meta.template != "none" else ([], [])
    except Exception as exc:  # noqa: BLE001 - as above: one document's bug must not cost the others
        return _failed("extraction_failed", source, doc_id,
                       f"{source} was read, but extracting its contents failed "
                       f"({type(exc).__name__}: {exc}); this is a bug in govdisclosure, please report it together with the file")
    findings += fact_findings
    facts, implausible = _plausible(facts)
    findings += implausible
    result = DocResult()
    result.reports.append(meta.row(doc))
    result.texts.append(schema.row("texts", doc))
    result.sections.extend(schema.row("sections", part, doc_id=doc_id) for part in parts)
    ocr = "ocr" in doc.problems  # scanned pages read by OCR: every figure of the document is marked
    result.facts.extend(schema.row("facts", f, doc_id=doc_id, method="ocr" if ocr else f.method) for f in facts)
    indicator_rows, indicator_findings = indicators.compute(doc_id, result.facts, findings)
    result.indicators.extend(indicator_rows)
    findings += indicator_findings
    result.checks.extend(schema.row("checks", f, doc_id=doc_id) for f in findings)
    return result


# No figure of a report comes near it (a national portal's visits run to billions): a larger,
# infinite or negative value is a misreading (400 digits, 1e400, a minus sign), not a figure.
MAX_VALUE = 1e12


def _plausible(facts: list) -> tuple[list, list[Finding]]:
    """The facts whose value can be a count or an amount, and a warning for each one that cannot."""
    kept, warnings = [], []
    for fact in facts:
        if math.isnan(fact.value) or 0 <= fact.value < MAX_VALUE:
            kept.append(fact)
        else:
            warnings.append(Finding("implausible_value", "warning", (
                f"{fact.label or fact.measure}: {fact.evidence[:80]!r} reads as {fact.value:g}, which no figure "
                f"of a report can be (negative, infinite or over {MAX_VALUE:g}); it is not kept")))
    return kept, warnings


def failure(path: str | Path, data: bytes | None, check: str, what: str) -> DocResult:
    """The rows of a document whose reading failed around `process_file` rather than inside it (the
    process reading it died, or ran out of memory); `what` follows the file's name in the message."""
    path = Path(path)
    source = display_path(str(path))
    if data is not None:
        doc_id = doc_id_of(data)
    else:  # the same id process_file gives a file it reads itself
        try:
            doc_id = hash_file(path) if stat.S_ISREG(path.stat().st_mode) else doc_id_of(source.encode())
        except OSError:
            doc_id = doc_id_of(source.encode())
    return _failed(check, source, doc_id, f"{source} {what}")


def _failed(check: str, source: str, doc_id: str, message: str, problems: tuple[str, ...] = ()) -> DocResult:
    """The rows of a document that could not be read: an empty reports row and one error.

    `problems` are codes besides `unreadable` that say why (`scanned`, `undecodable_font`).
    """
    more = "".join(f";{code}" for code in problems)
    return DocResult(reports=[metadata.empty_row(doc_id, source, problems="unreadable" + more)],
                     checks=[schema.row("checks", Finding(check, "error", message), doc_id=doc_id)])


def _too_large(source: str, size: int, limits: Limits) -> str:
    return (f"{source} is {size:,} bytes, over the limit of {limits.max_file_bytes:,} bytes per file, "
            f"and was not read")


def hash_file(path: Path) -> str:
    """`doc_id_of` the file's content without holding it in memory (for files over the size limit)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def _file_kind(mode: int) -> str:
    for test, words in ((stat.S_ISDIR, "a folder (one that could not be searched?)"),
                        (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return words
    return "not a file"

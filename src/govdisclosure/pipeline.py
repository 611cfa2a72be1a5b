"""The per-document pipeline and the corpus run that maps it over many files.

`process_file` is the unit of work: bytes in, the rows of every output table for that one
document out, never an exception (a file that cannot be read becomes a reports row plus an error in
checks). Because it is a pure function of the file's bytes and path, the same function serves the
single-process run, the process pool and the Dask engine, and its result can be cached by content
hash for incremental runs. Per-process start-up (OpenCC dictionaries, the gazetteer, jieba) sits
behind `functools.cache` in the modules that own it, so each worker pays it once.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from govdisclosure import clean, metadata, schema, sections
from govdisclosure.document import Document, Finding
from govdisclosure.extract import UnreadableDocument, read_raw
from govdisclosure.transform import extract_facts


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


def process_file(path: str | Path, data: bytes | None = None, source_path: str | None = None) -> DocResult:
    """Everything about one file, as table rows. Never raises for a bad file."""
    path = Path(path)
    source = source_path if source_path is not None else str(path)
    result = DocResult()
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        return _failed(result, "unreadable_file", source, doc_id_of(source.encode()),
                       f"{source} could not be read: {exc.strerror or exc}")
    doc_id = doc_id_of(data)
    try:
        doc = clean.clean(read_raw(path, data), doc_id, source)
    except UnreadableDocument as exc:
        return _failed(result, "unreadable_document", source, doc_id, str(exc))
    except Exception as exc:  # a reader bug must not stop the corpus; it is reported, not hidden
        return _failed(result, "reader_failed", source, doc_id,
                       f"{source} could not be read ({type(exc).__name__}: {exc})")
    meta = metadata.describe(doc)
    parts = sections.split(doc, meta.template)
    findings: list[Finding] = list(doc.findings) + sections.findings(doc, parts, meta.template)
    facts, fact_findings = extract_facts(doc) if meta.template != "none" else ([], [])
    findings += fact_findings
    result.reports.append(meta.row(doc))
    result.texts.append({"doc_id": doc_id, "text": doc.text})
    result.sections.extend({"doc_id": doc_id, **part.row()} for part in parts)
    result.facts.extend({"doc_id": doc_id, "measure": f.measure, "breakdown": f.breakdown, "value": f.value,
                         "unit": f.unit, "scope": f.scope, "method": f.method, "label": f.label,
                         "evidence": f.evidence, "span_start": f.span_start, "span_end": f.span_end}
                        for f in facts)
    result.checks.extend({"doc_id": doc_id, "check": f.check, "severity": f.severity, "message": f.message}
                         for f in findings)
    return result


def _failed(result: DocResult, check: str, source: str, doc_id: str, message: str) -> DocResult:
    result.reports.append(metadata.empty_row(doc_id, source, problems="unreadable"))
    result.checks.append({"doc_id": doc_id, "check": check, "severity": "error", "message": message})
    return result


_SKIP_PREFIXES = (".", "~$", ".~lock")
_SKIP_SUFFIXES = (".tmp", ".part", ".crdownload", ".swp")


def iter_input_files(paths: list[str | Path]) -> list[Path]:
    """Every input file, in a deterministic order.

    Files named explicitly are always taken (an unsupported one becomes an error row); folders are
    searched recursively for report files, without following symbolic links (no loops), skipping
    hidden and temporary files.
    """
    from govdisclosure.extract import SUFFIXES

    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(folder) / name
                    if (name.startswith(_SKIP_PREFIXES) or name.endswith(_SKIP_SUFFIXES)
                            or candidate.suffix.lower() not in SUFFIXES or candidate.is_symlink()
                            and not candidate.is_file()):
                        continue
                    found.append(candidate)
        else:
            found.append(path)
    return found


def extract_corpus(paths: list[str | Path], out_dir: str | Path | None = None, fmt: str = "parquet",
                   progress: bool = False) -> dict[str, pd.DataFrame]:
    """Run the pipeline over files and folders; return (and optionally write) the five tables.

    Byte-identical files are processed once: the first path in walking order gets the row, the
    others are listed in its `duplicate_paths` and noted in checks.
    """
    from govdisclosure import load

    files = iter_input_files(paths)
    rows: dict[str, list[dict]] = {name: [] for name in schema.TABLES}
    first_path: dict[str, int] = {}
    for path in tqdm(files, desc="extract", unit="doc", disable=not progress, file=sys.stderr):
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data is not None:
            doc_id = doc_id_of(data)
            if doc_id in first_path:
                report = rows["reports"][first_path[doc_id]]
                report["duplicate_paths"] = ";".join(filter(None, [report["duplicate_paths"], str(path)]))
                rows["checks"].append({"doc_id": doc_id, "check": "duplicate_file", "severity": "info",
                                       "message": f"{path} is byte-identical to {report['source_path']}"})
                continue
        result = process_file(path, data)
        if data is not None:
            first_path[doc_id] = len(rows["reports"])
        for name in schema.TABLES:
            rows[name].extend(getattr(result, name))
    tables = {name: schema.to_frame(name, table_rows) for name, table_rows in rows.items()}
    if out_dir is not None:
        load.write_tables(tables, out_dir, fmt)
    return tables

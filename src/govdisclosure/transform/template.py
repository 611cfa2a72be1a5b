"""Placeholder until the template extractor lands: finds nothing."""

from __future__ import annotations

from govdisclosure.document import Document, Fact, Finding


def extract(doc: Document) -> tuple[list[Fact], list[Finding]]:
    return [], []

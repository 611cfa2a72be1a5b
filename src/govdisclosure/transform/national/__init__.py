"""The national-format extractor: the three tables of the 2019 and 2021 forms.

One module per concern, in the order the work flows (the rows and columns of the form, as data, are
the vocabulary `govdisclosure.national_form`, which the extract stage shares): `values` (a cell's text to a number),
`grid` (tables that arrive as grids: HTML, PDF, DOCX), `flat` + `flatsolve` (tables flattened into
plain text, whose cell boundaries are recovered from the identities), `identities` (the sums the
form obliges, written once and used both to solve flattened tables and to check every table), and
`extractor` (readings to facts, under one set of rules whatever the container).
"""

from govdisclosure.transform.national.extractor import extract

__all__ = ["extract"]

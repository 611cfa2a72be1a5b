"""The offline evidence viewer: every figure next to the text (and PDF page) it was read from.

`build_site` writes a static site from the extracted tables (``govdisclosure view``). The work is
split by concern: `site` reads the tables and writes the files, `page` draws one report,
`spans` places the evidence marks in the text, `tables` lays the facts out as the report's own
tables, `checks` finds the cells a check concerns, and `pdf_regions` finds evidence on PDF pages.
The browser side is two small scripts and a stylesheet in ``assets/``, shipped with the package.
"""

from govdisclosure.view.site import BuildStats, build_site

__all__ = ["BuildStats", "build_site"]

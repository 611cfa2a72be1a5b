"""govdisclosure: tidy, validated tables from Chinese government information-disclosure annual reports.

The stages are subpackages and modules, in the order a document passes through them: `extract`
(format readers), `clean`, `metadata` and `sections`, `transform` (figure extractors), `validate`
(checks between reports), `load` (validated, atomic writes); `pipeline` runs them for one file and
`run` over a corpus. `analysis`, `plotting` and `notebook_run` serve the notebooks.
See docs/architecture.md.
"""

from importlib.metadata import version as _version

__version__ = _version("govdisclosure")

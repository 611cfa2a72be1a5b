"""govdisclosure: tidy, validated tables from Chinese government information-disclosure annual reports.

The stages are modules: `extract` (format readers), `clean`, `metadata` and `sections`,
`transform` (figure extractors), `load` (validated, atomic writes); `pipeline` runs them for one
file and `engine` over a corpus. `analysis`, `plotting` and `report` serve the notebooks.
"""

from importlib.metadata import version as _version

__version__ = _version("govdisclosure")

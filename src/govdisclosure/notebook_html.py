"""The HTML copy of an executed notebook: the figures and tables a reader needs, and nothing else.

The copy is what gets mailed around and opened offline, so it is self-contained and readable:
- no code cells, prompts or cells tagged `remove-in-html` (text that speaks about code);
- none of the scripts nbconvert's `lab` template loads from a CDN (require.js, MathJax, mermaid):
  the notebooks show Markdown, tables and PNG charts, which need no script, and a page that waits
  for a CDN breaks offline;
- charts at their full pixel width: the notebooks display PNGs at half their width so that they are
  crisp on high-density screens, which in a page of text makes 7-point legend text 9 px tall.
"""

from __future__ import annotations

from pathlib import Path

#: Widest chart in the page, in CSS pixels (the lab template also caps images at the page width).
MAX_CHART_WIDTH = 960
#: Cells with this tag are left out of the copy.
REMOVE_TAG = "remove-in-html"

_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def write_html(executed: Path) -> Path:
    """Write `<executed>.html` beside the executed notebook and return its path."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb = nbformat.read(executed, as_version=4)
    _widen_charts(nb)
    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": [REMOVE_TAG]}})
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        template_file="offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"offline.html.j2": _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    html = executed.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


def _widen_charts(nb) -> None:
    """Show every PNG at its pixel width (at most `MAX_CHART_WIDTH`) instead of half of it."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png is None:
                continue
            meta = output.setdefault("metadata", {}).setdefault("image/png", {})
            meta["width"] = min(_png_width(png), MAX_CHART_WIDTH)
            meta.pop("height", None)


def _png_width(data: str) -> int:
    """Pixel width from the IHDR chunk of a base64 PNG (bytes 16-20 of the file)."""
    import base64

    return int.from_bytes(base64.b64decode(data[:32])[16:20], "big")

"""A CJK font that survives every figure format, found once per machine.

Chinese labels are the hard part of the paper charts. We take a CJK font from an installed package
(mplfonts ships Noto Sans CJK SC) and only then from the system, so the same figure looks the same on
every machine. The fonts that are available are OpenType with CFF outlines, which matplotlib embeds
in a PDF as a TrueType (Type 42) font with the wrong font-file type: viewers like poppler warn about
it and strict ones refuse the font. We therefore convert the font's outlines once to TrueType
(quadratic) outlines and cache the result in matplotlib's cache directory (about 20 s, once per
machine); PDFs then embed a valid, subsetted CID TrueType font, and SVGs carry the glyphs as paths
so that they render without the font installed. This is apart from the charts because it is
about files and fonts, not drawing, and is tested on fonts built in the tests.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import tempfile
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

CJK_FAMILY = "GovDisclosure CJK"  # the converted font is renamed, as the SIL OFL asks of modified fonts

#: File names of CJK sans-serif fonts, best first: mplfonts' own, then common system fonts.
_CJK_FILE_PATTERNS = (
    r"NotoSansCJK.*sc",
    r"NotoSansSC",
    r"SourceHanSans(SC|CN)?",
    r"wqy-?(micro|zen)hei",
    r"DroidSansFallback",
    r"msyh",
    r"simhei",
    r"PingFang",
    r"Hiragino.*GB",
    r"STHeiti",
    r"NotoSansCJK",
    r"NotoSerifCJK.*sc",
    r"SourceHanSerif",
)
_PROBE = "政府信息公开年度报告"  # characters a usable font must have
#: Unicode ranges kept in the converted font: Latin to CJK punctuation, CJK ideographs with
#: extension A (rare place-name characters) and compatibility forms, full-width forms. Anything
#: else (U+FFFD in damaged sources) falls back to DejaVu Sans.
_KEPT_RANGES = ((0x20, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def find_cjk_font() -> Path | None:
    """Locate a font file with Chinese glyphs.

    Looks first in the installed mplfonts package, then in the system font list, and returns the
    first file whose character map covers common report vocabulary.

    Returns:
        The font file, or None when neither source has one.
    """
    candidates: list[Path] = []
    spec = importlib.util.find_spec("mplfonts")
    if spec is not None and spec.origin is not None:
        candidates += sorted((Path(spec.origin).parent / "fonts").glob("*.[ot]t[fc]"))
    candidates += [Path(p) for p in font_manager.findSystemFonts()]
    for pattern in _CJK_FILE_PATTERNS:
        for path in candidates:
            if re.search(pattern, path.name, re.IGNORECASE) and _covers(path, _PROBE):
                return path
    return None


def _covers(path: Path, text: str) -> bool:
    try:
        charmap = mpl.ft2font.FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(ord(ch) in charmap for ch in text)


def embeddable_font(path: Path, cache_dir: Path | None = None) -> Path:
    """A TrueType-outline version of `path`, converted once and cached.

    Fonts with TrueType outlines are returned as they are. OpenType/CFF fonts are converted
    (cubic to quadratic curves, within 1 font unit) to a font named `CJK_FAMILY` that keeps the
    glyphs in `_KEPT_RANGES`, so that matplotlib can embed it correctly as Type 42 in PDF.

    Args:
        path: A font file (.otf, .ttf, .ttc; for collections the first face is used).
        cache_dir: Where converted fonts are kept; defaults to matplotlib's cache directory.

    Returns:
        The path of a font with TrueType outlines.
    """
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        if "glyf" in font:
            return path
    # Named after the font's bytes, not its path: every environment on the machine (each with
    # its own copy of mplfonts) shares one conversion. Conversions are never removed here:
    # matplotlib opens the file again whenever it draws, so a conversion that another process
    # has registered must stay; a new font version adds one file of about 10 MB.
    with path.open("rb") as fh:
        stamp = hashlib.file_digest(fh, "sha256")
    stamp.update(repr(_KEPT_RANGES).encode())
    target = (
        Path(cache_dir or mpl.get_cachedir()) / "govdisclosure" / f"{path.stem}-{stamp.hexdigest()[:12]}.ttf"
    )
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".ttf", dir=target.parent)
        os.close(fd)
        _cff_to_truetype(path, Path(tmp))
        os.replace(tmp, target)  # atomic: concurrent kernels never see a half-written font
    return target


def _cff_to_truetype(source: Path, target: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    with TTFont(source, fontNumber=0, lazy=True) as font:
        cmap = {
            cp: name
            for cp, name in font.getBestCmap().items()
            if any(lo <= cp <= hi for lo, hi in _KEPT_RANGES)
        }
        order = [".notdef", *sorted(set(cmap.values()) - {".notdef"})]
        glyph_set, hmtx = font.getGlyphSet(), font["hmtx"]
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(None)
            glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            glyphs[name] = pen.glyph()
        builder = FontBuilder(font["head"].unitsPerEm, isTTF=True)
        builder.setupGlyphOrder(order)
        builder.setupCharacterMap(cmap)
        builder.setupGlyf(glyphs)
        builder.setupHorizontalMetrics({n: (hmtx[n][0], getattr(glyphs[n], "xMin", 0)) for n in order})
        builder.setupHorizontalHeader(ascent=font["hhea"].ascent, descent=font["hhea"].descent)
        names = font["name"]
        builder.setupNameTable(
            {
                "copyright": str(names.getDebugName(0) or ""),
                "familyName": CJK_FAMILY,
                "styleName": "Regular",
                "uniqueFontIdentifier": f"{CJK_FAMILY} from {source.name}",
                "fullName": f"{CJK_FAMILY} Regular",
                "psName": CJK_FAMILY.replace(" ", "") + "-Regular",
                "licenseDescription": str(names.getDebugName(13) or ""),
                "licenseInfoURL": str(names.getDebugName(14) or ""),
            }
        )
        os2 = font["OS/2"]
        builder.setupOS2(
            sTypoAscender=os2.sTypoAscender,
            sTypoDescender=os2.sTypoDescender,
            sTypoLineGap=os2.sTypoLineGap,
            usWinAscent=os2.usWinAscent,
            usWinDescent=os2.usWinDescent,
            sxHeight=os2.sxHeight,
            sCapHeight=os2.sCapHeight,
            achVendID=os2.achVendID,
            fsType=0,
        )
        builder.setupPost()
        builder.save(str(target))

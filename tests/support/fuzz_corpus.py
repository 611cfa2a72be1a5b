"""A generator of dirty corpora: every kind of bad input a scraped collection of reports contains.

The robustness tests, and anyone who wants to try the command line on a bad corpus, need the
failure cases as real files in a real folder: empty downloads, HTML error pages saved as .pdf,
truncated and encrypted PDFs, "docx" files that are not zips, a zip bomb, text in GBK, UTF-16 and
Big5, half-garbage, a file over the size limit, a news article, odd file names, a symbolic link
loop, hidden and temporary files. Everything is built from the bundled reports in data/raw and
from bytes written here (PDFs by hand, so that no PDF-writing library is needed), seeded so that
two calls give the same corpus. Each file comes with a `Case` saying what the run must make of it,
so the tests are a loop over the manifest rather than a list of special cases.

Run as a script to write a corpus for manual trials: `python tests/robustness/fuzz_corpus.py DIR`.
"""

from __future__ import annotations

import codecs
import io
import os
import random
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import opencc

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
REPORT_TXT = RAW / "pingtan_zone_2022.txt"
REPORT_PDF = RAW / "hongze_district_2023.pdf"
REPORT_DOCX = RAW / "format_2021_blank_template.docx"
REPORT_HTML = RAW / "shanghai_gov_office_2019.html"

# Expectations: what the run must produce for a file.
ERROR = "error"        # a reports row (template none) and an error in checks
READ = "read"          # a reports row and no error: the text was recovered
NONE = "none"          # read fine, but not a report: template none, no error
SKIPPED = "skipped"    # not an input at all: no row, not an error
DUPLICATE = "duplicate"  # byte-identical to another input: listed in its duplicate_paths
ANY = "any"            # a reports row, with or without an error (damage that may or may not be fatal)

NEWS = """市政府召开第二季度经济运行分析会
发布时间：2023-07-12 来源：市政府办公室
7月11日，市政府召开第二季度经济运行分析会，听取各部门上半年工作情况汇报。会议指出，上半年全市
地区生产总值同比增长5.6%，规模以上工业增加值增长7.1%，固定资产投资增长4.3%。
会议要求，各部门要坚定信心、扎实工作，确保完成全年目标任务。副市长张某某出席会议并讲话。
"""


@dataclass(frozen=True)
class Case:
    """One generated file and what the run must make of it.

    Attributes:
        path: where the file is, relative to the corpus root.
        kind: what is wrong with it (a short code, used in test ids).
        expect: one of ERROR, READ, NONE, SKIPPED, DUPLICATE, ANY.
        words: for ERROR, a phrase the error message must contain.
    """

    path: Path
    kind: str
    expect: str
    words: str = ""


def make_corpus(root: Path, *, huge_bytes: int = 65 * 2**20, bomb_bytes: int = 210 * 2**20,
                pdf_pages: int = 210, seed: int = 7) -> list[Case]:
    """Write the dirty corpus under `root` and return its manifest.

    Every file has content of its own (no accidental byte-identical copies), except the cases
    that are duplicates on purpose.

    The defaults put the huge file, the zip bomb and the long PDF just over the default `Limits`;
    tests with smaller limits can pass smaller sizes to stay fast.

    Args:
        root: an empty or missing folder.
        huge_bytes: size of the (sparse) file that is over the file-size limit.
        bomb_bytes: decompressed size of the zip-bomb .docx.
        pdf_pages: pages of the PDF that is over the page limit.
        seed: seed for every random byte, so the corpus is the same on every call.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    report = REPORT_TXT.read_text(encoding="utf-8")
    pdf = REPORT_PDF.read_bytes()
    cases: list[Case] = []

    def put(name: str, data: bytes, kind: str, expect: str, words: str = "") -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(Path(name), kind, expect, words))

    # Empty downloads.
    put("empty/empty.pdf", b"", "empty_pdf", ERROR, "empty")
    put("empty/empty.docx", b"\n", "empty_docx", ERROR, "empty")
    put("empty/blank.html", b" \r\n\t \n", "blank_html", ERROR, "empty")
    put("empty/nul.txt", b"\x00" * 64, "nul_txt", ERROR, "no readable text")

    # Download errors and lying suffixes.
    put("pdf/error_page.pdf", b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
        b"<body><h1>404 Not Found</h1><hr>nginx</body></html>\n", "html_as_pdf", ERROR, "HTML page")
    put("pdf/gbk_error_page.pdf", "<html><head><meta charset=gbk><title>访问出错</title></head><body>"
        "您访问的页面不存在</body></html>".encode("gbk"), "gbk_html_as_pdf", ERROR, "HTML page")
    # Read as what they are; the .docx is the blank national template, which is not a report.
    put("pdf/word_as_pdf.pdf", REPORT_DOCX.read_bytes(), "docx_as_pdf", NONE)
    put("pdf/pdf_as_html.html", pdf, "pdf_as_html", READ)
    put("pdf/image.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)), "png_as_txt", ERROR,
        "PNG image")
    put("pdf/truncated.pdf", pdf[: len(pdf) // 3], "truncated_pdf", ERROR, "PDF")
    put("pdf/header_only.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Cat", "header_only_pdf",
        ERROR, "PDF")
    put("pdf/encrypted.pdf", _pdf(["Encrypted report"], encrypted=True), "encrypted_pdf", ERROR, "encrypted")
    put("pdf/scan.pdf", _pdf(["", ""]), "pdf_without_text", ERROR, "no text layer")
    put("pdf/images_only.html", b"<html><body><p><img src='report-1.png'></p></body></html>", "html_without_text",
        ERROR, "contains no text")
    put("pdf/long.pdf", _pdf([f"page {n}" for n in range(pdf_pages)]), "too_many_pages", ERROR, "pages")
    put("docx/not_a_zip.docx", _variant(report, 10), "text_as_docx", ERROR, "not a valid .docx")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    put("docx/old_word.docx", ole + bytes(rng.randrange(256) for _ in range(4000)), "doc_as_docx", ERROR,
        "Word or Excel 97-2003")
    put("docx/plain.zip.docx", _zip({"readme.txt": b"hello"}), "zip_not_word", ERROR, "not a Word document")
    put("docx/truncated.docx", REPORT_DOCX.read_bytes()[:5000], "truncated_docx", ERROR, "not a valid .docx")
    put("docx/bomb.docx", _bomb(bomb_bytes), "zip_bomb", ERROR, "decompress")

    # Encodings: the same report in every encoding scrapers save.
    put("enc/gbk.txt", report.encode("gb18030"), "gbk_txt", READ)
    put("enc/utf16le_bom.txt", codecs.BOM_UTF16_LE + report.encode("utf-16-le"), "utf16_bom_txt", READ)
    put("enc/utf16be.txt", report.encode("utf-16-be"), "utf16be_txt", READ)
    traditional = opencc.OpenCC("s2t").convert(report)
    put("enc/big5.txt", traditional.encode("big5", errors="replace"), "big5_txt", READ)
    put("enc/gbk_page.html", REPORT_HTML.read_text(encoding="utf-8").replace("utf-8", "gbk").replace(
        "UTF-8", "gbk").encode("gb18030", errors="replace"), "gbk_html", READ)

    # Garbage, whole and half.
    put("garbage/random.txt", bytes(rng.randrange(256) for _ in range(20000)), "random_txt", ERROR,
        "no readable text")
    put("garbage/random.html", bytes(rng.randrange(256) for _ in range(20000)), "random_html", ERROR,
        "no readable text")
    put("garbage/random.pdf", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(20000)), "random_pdf",
        ERROR, "PDF")
    half = report.encode("utf-8")
    put("garbage/half.txt", half[: len(half) // 2] + bytes(rng.randrange(256) for _ in range(len(half) // 2)),
        "half_garbage_txt", READ)
    put("garbage/mutated.pdf", _mutate(pdf, rng, 40), "mutated_pdf", ANY)

    # Over the size limit: sparse, so that it costs no disk and no time to write.
    huge = root / "huge" / "huge.txt"
    huge.parent.mkdir(parents=True, exist_ok=True)
    with huge.open("wb") as fh:
        fh.truncate(huge_bytes)
    cases.append(Case(Path("huge/huge.txt"), "huge_file", ERROR, "over the limit"))

    # Not a report.
    put("news/news.txt", NEWS.encode("utf-8"), "news_article", NONE)

    # Odd names: spaces, Chinese, emoji, a very long name, a leading dash, a name that is not UTF-8.
    put("names/with  spaces .txt", _variant(report, 1), "spaces_name", READ)
    put("names/平潭综合实验区 2022年报（终稿）.txt", _variant(report, 2), "chinese_name", READ)
    put("names/report 📄✅.txt", _variant(report, 3), "emoji_name", READ)
    put("names/" + "很长的文件名" * 13 + ".txt", _variant(report, 4), "long_name", READ)
    put("names/-starts-with-dash.txt", _variant(report, 5), "dash_name", READ)
    put("names/UPPER.TXT", _variant(report, 6), "upper_suffix", READ)
    non_utf8 = os.fsencode(root / "names") + b"/\xb1\xa8\xb8\xe6-gbk-name.txt"
    with open(non_utf8, "wb") as fh:
        fh.write(_variant(report, 7))
    cases.append(Case(Path(os.fsdecode(non_utf8)).relative_to(root), "non_utf8_name", READ))

    # A copy of a file already in the corpus.
    put("copies/same_as_gbk.txt", report.encode("gb18030"), "duplicate", DUPLICATE)

    # Hidden and temporary files, and a hidden folder: never inputs.
    for name in (".hidden.txt", "~$report.docx", ".~lock.report.docx#", "report.txt.tmp", "report.pdf.part",
                 "report.pdf.crdownload", ".report.txt.swp", ".git/notes.txt", "notes.csv"):
        put(f"skip/{name}", _variant(report, 8), "hidden_or_temp", SKIPPED)

    # Symbolic links: loops, a link to a folder, a dangling link; a link to a file is read once.
    links = root / "links"
    links.mkdir()
    (links / "inner").mkdir()
    put("links/inner/real.txt", _variant(report, 9), "link_target", READ)
    os.symlink(".", links / "self")
    os.symlink("..", links / "inner" / "up")
    os.symlink(links, links / "inner" / "absolute_loop")
    os.symlink("inner", links / "inner_again")
    os.symlink("missing.txt", links / "dangling.txt")
    os.symlink(links / "inner" / "real.txt", links / "to_real.txt")
    cases += [Case(Path("links/self"), "symlink_loop", SKIPPED),
              Case(Path("links/inner/up"), "symlink_loop", SKIPPED),
              Case(Path("links/inner/absolute_loop"), "symlink_loop", SKIPPED),
              Case(Path("links/inner_again"), "symlink_to_folder", SKIPPED),
              Case(Path("links/dangling.txt"), "dangling_symlink", SKIPPED),
              Case(Path("links/to_real.txt"), "symlink_to_file", DUPLICATE)]

    # A named pipe: reading it would block forever.
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        cases.append(Case(Path("pipe.txt"), "fifo", SKIPPED))

    # Good files, so that the run is not all failures.
    for source in (REPORT_TXT, REPORT_PDF, REPORT_HTML):
        put(f"good/{source.name}", source.read_bytes(), "good_report", READ)
    put(f"good/{REPORT_DOCX.name}", REPORT_DOCX.read_bytes(), "blank_template", NONE)  # = word_as_pdf.pdf
    return cases


def _variant(text: str, n: int) -> bytes:
    """The report with a marker line, so that variants are not byte-identical duplicates."""
    return f"{text}\n（副本 {n}）\n".encode()


def _mutate(data: bytes, rng: random.Random, flips: int) -> bytes:
    """Overwrite `flips` random bytes past the header: the typical damage of a bad transfer."""
    buf = bytearray(data)
    for _ in range(flips):
        buf[rng.randrange(16, len(buf))] = rng.randrange(256)
    return bytes(buf)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _bomb(size: int) -> bytes:
    """A real .docx plus one member that inflates to `size` bytes of zeros (about 1/1000 on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(REPORT_DOCX.read_bytes())) as src, \
            zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("word/media/padding.bin", "w", force_zip64=size >= 2**31) as fh:
            chunk = bytes(2**20)
            for start in range(0, size, len(chunk)):
                fh.write(chunk[: size - start])
    return buf.getvalue()


def _pdf(pages: list[str], encrypted: bool = False) -> bytes:
    """A minimal valid PDF with one line of Helvetica text per page.

    With `encrypted`, the trailer carries a standard security handler whose password check
    fails for the empty user password: readers must ask for a password.
    """
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R".encode()
    if encrypted:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32
                       + b"> /P -44 >>")
        trailer = (f"/Size {len(objects) + 1} /Root 1 0 R /Encrypt {len(objects)} 0 R "
                   f"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]").encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


if __name__ == "__main__":  # pragma: no cover - manual use
    for case in make_corpus(Path(sys.argv[1])):
        print(f"{case.expect:9} {case.kind:18} {case.path}")

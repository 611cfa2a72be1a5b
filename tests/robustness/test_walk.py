"""Folder walking: it ends, it is deterministic, and it takes only regular report files."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from govdisclosure import walk
from govdisclosure.extract import SUFFIXES


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_order_is_by_code_point_files_before_subfolders(tmp_path):
    for name in ("b/2.txt", "b/1.pdf", "a.txt", "B.txt", "a/z.html", "c.docx", "报告.txt", "a/b/y.txt"):
        _touch(tmp_path / name)
    found = [p.relative_to(tmp_path).as_posix() for p in walk.walk([tmp_path], SUFFIXES)]
    assert found == ["B.txt", "a.txt", "c.docx", "报告.txt", "a/z.html", "a/b/y.txt", "b/1.pdf", "b/2.txt"]


def test_symbolic_links_to_folders_are_not_followed_and_cannot_loop(tmp_path):
    real = _touch(tmp_path / "inner" / "real.txt")
    os.symlink(".", tmp_path / "self")
    os.symlink("..", tmp_path / "inner" / "up")
    os.symlink(tmp_path, tmp_path / "inner" / "absolute")
    os.symlink("inner", tmp_path / "inner_again")
    os.symlink("nowhere.txt", tmp_path / "dangling.txt")
    os.symlink(real, tmp_path / "link.txt")
    assert walk.walk([tmp_path], SUFFIXES) == [tmp_path / "link.txt", real]
    assert walk.walk([tmp_path / "inner_again"], SUFFIXES) == [tmp_path / "inner_again" / "real.txt"]


def test_hidden_lock_temporary_and_special_files_are_skipped(tmp_path):
    keep = _touch(tmp_path / "report.txt")
    for name in (".hidden.txt", "~$report.docx", "~WRL0001.docx", ".~lock.report.docx#", "report.txt.part",
                 "report.pdf.crdownload", "report.tmp", ".git/config.txt", "notes.xlsx"):
        _touch(tmp_path / name)
    os.mkfifo(tmp_path / "pipe.txt")
    assert walk.walk([tmp_path], SUFFIXES) == [keep]


def test_paths_named_explicitly_are_always_returned(tmp_path):
    odd = [tmp_path / ".hidden.txt", tmp_path / "notes.xlsx", tmp_path / "missing.pdf"]
    assert walk.walk(odd, SUFFIXES) == odd


def test_a_folder_that_cannot_be_listed_is_returned_itself(tmp_path, monkeypatch):
    _touch(tmp_path / "locked" / "r.txt")
    _touch(tmp_path / "open" / "r.txt")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    assert walk.walk([tmp_path], SUFFIXES) == [tmp_path / "locked", tmp_path / "open" / "r.txt"]


def test_a_very_deep_tree_does_not_hit_the_recursion_limit(tmp_path):
    deep = tmp_path.joinpath(*["d"] * 400)
    deep.mkdir(parents=True)
    (deep / "r.txt").write_text("x", encoding="utf-8")
    # A limit the tree is deeper than (a tree deeper than the default limit would also defeat the
    # recursive clean-up of pytest's temporary folders).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(traceback.extract_stack()) + 100)
    try:
        found = walk.walk([tmp_path], SUFFIXES)
    finally:
        sys.setrecursionlimit(limit)
    assert found == [deep / "r.txt"]


def test_non_utf8_names_become_storable_text(tmp_path):
    name = os.fsencode(tmp_path) + b"/\xb1\xa8\xb8\xe6.txt"
    with open(name, "wb") as fh:
        fh.write(b"x")
    (found,) = walk.walk([tmp_path], SUFFIXES)
    shown = walk.display_path(str(found))
    assert shown == f"{tmp_path}/\\xb1\\xa8\\xb8\\xe6.txt"
    shown.encode("utf-8")  # what CSV and Parquet writers need
    assert walk.display_path("平潭 report 📄.txt") == "平潭 report 📄.txt"

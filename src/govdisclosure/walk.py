"""Finding the input files in the folders a user names, the same way on every run.

A scraped corpus is a folder tree nobody has cleaned: symbolic links that point back up the tree,
editor and office lock files (`~$report.docx`, `.~lock.report.docx#`), half-finished downloads
(`.part`, `.crdownload`), version-control folders, named pipes and sockets, file names that are
not valid UTF-8 because an archive was unpacked from a Chinese Windows machine. The walk must end,
must find the same files in the same order on every machine, must not hang on a file that is not
a file, and must not lose a report silently. So:

- symbolic links to folders are never followed (a link back up the tree would loop, and a link to
  `/` would walk the whole disk); name the target folder explicitly to include it. Symbolic links
  to files are taken: the pipeline reads their content once and lists the link as a duplicate;
- only regular files are taken from folders: a named pipe would block the reader forever;
- hidden and lock files are skipped, and so are files of other types (spreadsheets, images, unfinished
  downloads);
- the order is by code point of the name, folder by folder (files first, then subfolders), which
  does not depend on the locale or on the order the file system lists entries in;
- a folder that cannot be listed is returned itself, so that the run reports it instead of
  silently skipping every report inside;
- a path named explicitly is always returned, whatever it is: the pipeline then says in checks why
  it could not be read, which is better than ignoring what the user asked for.

Paths are returned as Python holds them, which for a non-UTF-8 name means with surrogate escapes;
`display_path` turns such a path into text that CSV and Parquet can store.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SKIP_PREFIXES = (".", "~$", "~WRL")


def is_skipped(name: str) -> bool:
    """Hidden files and folders, and office lock and temporary files, by name.

    Unfinished downloads (`.part`, `.crdownload`, `.tmp`) need no rule here: their suffix is not
    one of the input suffixes.
    """
    return name.startswith(SKIP_PREFIXES)


def walk(paths: list[str | Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Every input file under `paths`, in a deterministic order (see the module docstring).

    Args:
        paths: files and folders as the user gave them; folders are searched recursively.
        suffixes: lower-case suffixes of the files to take from folders (".txt", ".pdf", ...).

    Returns:
        The paths in the order given, each folder replaced by the files found in it.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_walk_folder(path, suffixes))
        else:
            found.append(path)
    return found


def _walk_folder(top: Path, suffixes: tuple[str, ...]) -> list[Path]:
    # An explicit stack rather than recursion: a pathologically deep tree must not hit the
    # recursion limit.
    found: list[Path] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            found.append(folder)
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if is_skipped(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(Path(entry.path))
                elif (Path(entry.name).suffix.lower() in suffixes
                      and stat.S_ISREG(os.stat(entry.path).st_mode)):  # a link counts as its target
                    found.append(Path(entry.path))
            except OSError:  # a dangling link, or an entry removed while walking
                continue
        stack.extend(reversed(subfolders))
    return found


def display_path(path: str) -> str:
    """A path as text that any output format can store.

    Python holds the bytes of a non-UTF-8 file name as lone surrogates, which CSV and Parquet
    writers reject; they become `\\xNN` escapes. Any other path is returned unchanged.
    """
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no file system decoding produced
        raw = path.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")

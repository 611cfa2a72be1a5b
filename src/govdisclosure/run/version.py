"""The extractor's version: what the incremental cache and a remote cluster's workers are checked against.

The version hashes the package's code and data and the versions of the libraries that read
documents, so any change that could change a row invalidates every cached entry; computing it once
per process (about 20 ms) is cheaper than any finer-grained rule would be to keep right.
"""

from __future__ import annotations

import hashlib
from importlib import metadata as importlib_metadata
from pathlib import Path

from govdisclosure import __version__

_READER_LIBRARIES = ("opencc", "jieba", "cpca", "pypdfium2", "rapidocr-onnxruntime", "python-docx", "lxml",
                     "beautifulsoup4", "charset-normalizer")


def _extractor_version() -> str:
    """The package version plus a hash of its source, its data and the readers' library versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".csv", ".txt") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _READER_LIBRARIES:
        try:
            digest.update(f"{library}=={importlib_metadata.version(library)}\0".encode())
        except importlib_metadata.PackageNotFoundError:
            digest.update(f"{library} missing\0".encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


EXTRACTOR_VERSION = _extractor_version()

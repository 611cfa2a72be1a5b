"""Set-up: environment.yml lists what pyproject.toml lists; the Makefile documents its targets; modules import."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def names(requirements: list[str]) -> set[str]:
    out = set()
    for req in requirements:
        name = re.split(r"[<>=!~ ;]", req.strip(), maxsplit=1)[0].lower()
        extras = re.search(r"\[(.+)\]", name)
        name = re.sub(r"\[.*\]", "", name)
        out.add(name)
        if extras and name == "dask":
            out.update(e.strip() for e in extras.group(1).split(","))
    return out


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        (pip.extend(dep["pip"]) if isinstance(dep, dict) else conda.append(dep))
    listed = names([d for d in conda if not re.match(r"(python|pip)([=<> ]|$)", d)] + pip)
    assert listed == wanted


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("setup", "extract", "report", "test", "lab", "dictionary", "clean"):
        assert target in out


def test_every_module_imports_first():
    """No import cycle bites whoever imports a module before the others (validate_template did)."""
    script = """
import importlib, pkgutil, sys
import govdisclosure
names = sorted(m.name for m in pkgutil.walk_packages(govdisclosure.__path__, "govdisclosure."))
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m.startswith("govdisclosure.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {exc!r}")
print(len(names))
sys.exit("\\n".join(failed) or None)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 30

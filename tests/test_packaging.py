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


def test_a_report_install_has_no_dev_tools_and_an_spdx_license():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    base, dev = names(project["dependencies"]), names(project["optional-dependencies"]["dev"])
    assert not base & {"pytest", "hypothesis", "ruff", "pyinstrument", "jupyterlab", "websocket-client"}
    assert {"pytest", "hypothesis", "ruff", "jupyterlab"} <= dev and {"papermill", "nbconvert", "ipykernel"} <= base
    assert project["license"] == "MIT"  # the SPDX string (PEP 639), not the deprecated table
    # setuptools reads an SPDX license string from version 77 on
    assert pyproject["build-system"]["requires"] == ["setuptools>=77"]


def test_make_report_installs_the_package_alone_and_make_test_adds_the_dev_extra():
    plan = {target: subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True,
                                   check=True).stdout for target in ("report", "test")}
    assert "pip install --quiet -e .\n" in plan["report"] and "[dev]" not in plan["report"]
    assert "pip install --quiet -e '.[dev]'" in plan["test"]

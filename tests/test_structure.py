"""The import contracts in pyproject.toml cover every package of the project.

`lint-imports` (in CI) only checks the packages the contracts name: a new app or package
that no layer lists could import anything unnoticed.
"""

import tomllib
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def importlinter() -> dict:
    return tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]


def project_packages() -> set[str]:
    """Every top-level folder with an __init__.py: the project's own Python packages."""
    skip = {"tests", "bench", "scripts", "node_modules"}
    return {
        path.parent.name
        for path in BASE.glob("*/__init__.py")
        if path.parent.name not in skip and not path.parent.name.startswith(".")
    }


def layered_packages() -> set[str]:
    (layers,) = [c for c in importlinter()["contracts"] if c["type"] == "layers"]
    return {name.strip() for layer in layers["layers"] for name in layer.split("|")}


def test_every_package_is_a_root_package_and_has_its_layer():
    roots = set(importlinter()["root_packages"])
    assert project_packages() <= roots, "add to root_packages in pyproject.toml"
    assert roots == layered_packages(), "every root package belongs in exactly one layer"


def test_the_foundation_is_the_bottom_layer_and_forbidden_every_other_package():
    (layers,) = [c for c in importlinter()["contracts"] if c["type"] == "layers"]
    assert layers["layers"][-1] == "foundation"
    (ground,) = [
        c for c in importlinter()["contracts"] if c.get("source_modules") == ["foundation"]
    ]
    assert set(ground["forbidden_modules"]) == set(importlinter()["root_packages"]) - {"foundation"}

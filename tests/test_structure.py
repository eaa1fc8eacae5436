"""The import contracts in pyproject.toml cover every module of clinic_site.

`lint-imports` (in CI) only checks the modules a contract names: a new infrastructure
module that no contract lists could import an app unnoticed. Every clinic_site module is
either infrastructure (may not import apps) or the wiring at the top (urls, pages, wsgi).
"""

import tomllib
from pathlib import Path

from django.conf import settings

WIRING = {"clinic_site.urls", "clinic_site.pages", "clinic_site.wsgi"}


def contracts() -> list[dict]:
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    return pyproject["tool"]["importlinter"]["contracts"]


def test_every_clinic_site_module_is_named_by_an_import_contract():
    package = Path(settings.BASE_DIR) / "clinic_site"
    modules = {
        f"clinic_site.{path.stem}" for path in package.glob("*.py") if path.stem != "__init__"
    }
    infrastructure = set()
    wiring = set()
    for contract in contracts():
        if contract["type"] != "forbidden":
            continue
        if set(contract["forbidden_modules"]) >= {"articles", "clinic", "inquiries"}:
            infrastructure |= set(contract["source_modules"])
        if set(contract["forbidden_modules"]) >= WIRING:
            wiring |= set(contract["forbidden_modules"])
    unnamed = modules - infrastructure - wiring
    assert not unnamed, f"add these to a contract in pyproject.toml: {sorted(unnamed)}"
    assert not infrastructure & wiring

"""What scripts/test prints after pytest: which tests were skipped, why, and the one command
that includes them.

A fresh clone has no Chromium, Java, Node or the npm packages the browser tests use
(tests/e2e) and the crisis-script test runs under; those tests skip rather than fail, and
this says what to install. Installing needs root, so the command is printed rather than run.

Usage: skipped_tests.py JUNIT_XML (the report pytest wrote with --junitxml).
"""

import os
import shutil
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# The npm packages the browser tests read from node_modules/, as .ci/run installs them
# (tests/test_scripts_test.py checks the two lists agree).
NPM_PACKAGES = ["axe-core@4.11.1", "vnu-jar@26.9.27"]
# Words of the skip reasons that mean "a tool is missing" (tests/e2e/conftest.py and the
# tests that run node or java say so), as opposed to a test that does not apply here.
MISSING_TOOL_WORDS = ("is missing", "not installed")


def skipped_tests(report: Path) -> list[tuple[str, str]]:
    """(file, reason) for each skipped test in pytest's JUnit XML report."""
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        return []  # no report (pytest stopped early, or another --junitxml was given)
    skipped = []
    for case in root.iter("testcase"):
        skip = case.find("skipped")
        if skip is not None:
            module = case.get("classname", "").split(".")
            # classname is the dotted module (and class); the file is the module part.
            while module and not module[-1].startswith("test_"):
                module.pop()
            skipped.append(("/".join(module) + ".py", skip.get("message", "").strip()))
    return skipped


def missing_tools() -> list[str]:
    """What the browser and script tests need that this machine lacks."""
    missing = []
    if not Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")).exists():
        missing.append("chromium")
    if shutil.which("java") is None:
        missing.append("java")
    if shutil.which("node") is None:
        missing.append("node")
    if shutil.which("npm") is None:
        missing.append("npm")
    if not all((PROJECT / "node_modules" / p.rsplit("@", 1)[0]).exists() for p in NPM_PACKAGES):
        missing.append("node_modules")
    return missing


def install_command(missing: list[str]) -> str:
    """One command that installs what is missing and runs the tests again."""
    apt = {"chromium": "chromium", "java": "default-jre-headless", "node": "nodejs", "npm": "npm"}
    packages = [apt[tool] for tool in missing if tool in apt]
    steps = []
    if packages:
        steps.append("sudo apt-get install -y " + " ".join(dict.fromkeys(packages)))
    if "node_modules" in missing or "npm" in missing:
        steps.append("npm install --no-save --no-package-lock " + " ".join(NPM_PACKAGES))
    steps.append("scripts/test")
    return " && ".join(steps)


def summary(skipped: list[tuple[str, str]], missing: list[str]) -> str:
    if not skipped:
        return ""
    for_tools = [(file, reason) for file, reason in skipped if is_missing_tool(reason)]
    others = [(file, reason) for file, reason in skipped if not is_missing_tool(reason)]
    lines = ["", "=" * 30 + " skipped tests " + "=" * 30]
    if for_tools:
        lines.append(f"{len(for_tools)} test(s) skipped because a tool they need is missing:")
        lines += describe(for_tools)
        lines += [
            "To include them, install what is missing (Debian; apt-get needs root) and run the",
            "tests again:",
            "",
            "    " + install_command(missing or ["chromium", "java", "node", "node_modules"]),
            "",
        ]
    if others:
        lines.append(f"{len(others)} test(s) skipped because they do not apply here:")
        lines += describe(others)
    return "\n".join(lines)


def is_missing_tool(reason: str) -> bool:
    return any(words in reason for words in MISSING_TOOL_WORDS)


def describe(skipped: list[tuple[str, str]]) -> list[str]:
    """Each reason once, with how many tests of which files it skipped."""
    lines = []
    by_reason: dict[str, Counter] = {}
    for file, reason in skipped:
        by_reason.setdefault(reason, Counter())[file] += 1
    for reason, files in by_reason.items():
        lines.append(f"  {reason}")
        lines += [f"      {count} in {file}" for file, count in sorted(files.items())]
    return lines


def main(argv: list[str]) -> int:
    text = summary(skipped_tests(Path(argv[1])), missing_tools())
    if text:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

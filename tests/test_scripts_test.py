"""scripts/test ends by saying which tests were skipped, why, and the one command that
includes them (scripts/skipped_tests.py), and exits with pytest's status."""

import importlib.util
import os
import re
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "skipped_tests", PROJECT / "scripts" / "skipped_tests.py"
)
skipped_tests = importlib.util.module_from_spec(spec)
spec.loader.exec_module(skipped_tests)

CHROMIUM_REASON = "/usr/bin/chromium is missing: `apt-get install chromium` (.ci/run does) to run the browser tests"
REPORT = f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.e2e.test_journeys" name="test_a"><skipped type="pytest.skip" message="{CHROMIUM_REASON}">x</skipped></testcase>
  <testcase classname="tests.e2e.test_journeys" name="test_b"><skipped type="pytest.skip" message="{CHROMIUM_REASON}">x</skipped></testcase>
  <testcase classname="tests.test_crisis_inquiries" name="test_c"><skipped type="pytest.skip" message="node is not installed">x</skipped></testcase>
  <testcase classname="tests.test_insights.TestSomething" name="test_d"><skipped type="pytest.skip" message="PostgreSQL's commit setting">x</skipped></testcase>
  <testcase classname="tests.test_pages" name="test_e" />
</testsuite></testsuites>
"""


def test_the_summary_names_each_reason_its_files_and_the_command(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(REPORT)

    text = skipped_tests.summary(
        skipped_tests.skipped_tests(report), ["chromium", "node", "node_modules"]
    )

    assert "3 test(s) skipped because a tool they need is missing:" in text
    assert f"  {CHROMIUM_REASON}\n      2 in tests/e2e/test_journeys.py" in text
    assert "      1 in tests/test_crisis_inquiries.py" in text
    assert (
        "    sudo apt-get install -y chromium nodejs && npm install --no-save --no-package-lock "
        "axe-core@4.11.1 vnu-jar@26.9.27 && scripts/test"
    ) in text
    assert "1 test(s) skipped because they do not apply here:" in text
    assert "      1 in tests/test_insights.py" in text


def test_nothing_is_printed_when_nothing_was_skipped_or_there_is_no_report(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="tests.test_pages" name="t"/></testsuite></testsuites>'
    )
    assert skipped_tests.summary(skipped_tests.skipped_tests(report), []) == ""
    assert skipped_tests.skipped_tests(tmp_path / "absent.xml") == []


def test_the_npm_packages_are_the_ones_ci_installs():
    ci = (PROJECT / ".ci" / "run").read_text()
    npm_line = re.search(r"npm install [^\n]*\\\n([^\n]*)", ci).group(1)
    for package in skipped_tests.NPM_PACKAGES:
        assert package in npm_line.split()


@pytest.mark.slow
def test_scripts_test_ends_with_the_summary_and_keeps_pytests_status():
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium"}
    env.pop("PYTEST_ADDOPTS", None)
    args = ["scripts/test", "tests/e2e/test_journeys.py", "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    summary = result.stdout[result.stdout.index("= skipped tests =") :]
    assert "/nonexistent/chromium is missing" in summary
    assert "sudo apt-get install -y chromium" in summary and summary.rstrip().endswith(
        "scripts/test"
    )

    failing = subprocess.run(
        ["scripts/test", "tests/no_such_file.py", "-q", "-p", "no:cacheprovider"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert failing.returncode == 4  # pytest's "no such file" status, passed through

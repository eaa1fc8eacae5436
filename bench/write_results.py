"""Write bench/run's summary into README.md, between the two bench/run markers of the
"Performance" section, with the date and the machine it ran on.

Usage: bench/readme_results.py SUMMARY_FILE README_FILE
"""

import datetime
import os
import re
import sys
from pathlib import Path

START = "<!-- bench/run results: start (written by bench/run; do not edit by hand) -->"
END = "<!-- bench/run results: end -->"


def results_block(summary: str) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"{START}\n"
        f"Last run: {when}, {os.cpu_count()} cores, load average {load} when it ended.\n\n"
        f"```\n{summary.strip()}\n```\n"
        f"{END}"
    )


def main(summary_path: str, readme_path: str) -> None:
    readme = Path(readme_path)
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        sys.exit(f"{readme_path}: the bench/run markers are missing; README.md was not changed.")
    block = results_block(Path(summary_path).read_text(encoding="utf-8"))
    readme.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
    print(f"Wrote these results into {readme_path} (Performance).")


if __name__ == "__main__":
    main(*sys.argv[1:3])

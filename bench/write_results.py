"""Write bench/run's summary to bench/RESULTS.md (the whole file), with the date and the
machine it ran on, so the figures there are always the last run's.

Usage: bench/write_results.py SUMMARY_FILE [RESULTS_FILE]
"""

import datetime
import os
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

INTRODUCTION = """# bench/run: the last run's figures

Written by `bench/run` at the end of each run (do not edit by hand; `BENCH_RESULTS=0`
leaves this file alone). What each row measures and the targets: README, "Performance".
"""


def results_text(summary: str) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"{INTRODUCTION}\n"
        f"Last run: {when}, {os.cpu_count()} cores, load average {load} when it ended.\n\n"
        f"```\n{summary.strip()}\n```\n"
    )


def main(summary_path: str, results_path: str = str(RESULTS)) -> None:
    text = results_text(Path(summary_path).read_text(encoding="utf-8"))
    Path(results_path).write_text(text, encoding="utf-8")
    print(f"Wrote these results to {results_path}.")


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Summarise the Lighthouse JSON reports written by scripts/lighthouse (stdlib only).

Usage: lighthouse_report.py MIN_SCORE REPORT_DIR LABEL|PATH...

Prints one row of scores (0-100) per page and, under the table, for each score below 100
the audits that cost points, so a developer sees why without opening the JSON. Exits 1 if
a score is below MIN_SCORE or a page has no usable report.
"""

import json
import sys
from pathlib import Path

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def score(value: float | None) -> int | None:
    # Lighthouse gives 0-1, or null when it could not score the category.
    return None if value is None else round(value * 100)


def costly_audits(report: dict, category: dict) -> list[str]:
    """The audits of a category that lowered its score: weighted and not passed.

    Weight-0 audits (diagnostics, "insights") never change the score, so they are left
    out; an audit that crashed is shown too, since it hides a result.
    """
    lines = []
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit["scoreDisplayMode"] == "error":
            lines.append(f"{audit['id']}: {audit['title']} (error: {audit.get('errorMessage')})")
        elif ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            shown = f", {audit['displayValue']}" if audit.get("displayValue") else ""
            lines.append(f"{audit['id']}: {audit['title']} (score {score(audit['score'])}{shown})")
    return lines


def main() -> int:
    min_score = int(sys.argv[1])
    folder = Path(sys.argv[2])
    pages = [item.split("|", 1) for item in sys.argv[3:]]

    failures, details = [], []
    print(f"| {'page':<8} | {'path':<32} | " + " | ".join(CATEGORIES) + " |")
    print(f"|{'-' * 10}|{'-' * 34}|" + "|".join("-" * (len(c) + 2) for c in CATEGORIES) + "|")
    for label, path in pages:
        file = folder / f"{label}.json"
        report = json.loads(file.read_text()) if file.exists() else None
        if report is None or report.get("runtimeError"):
            problem = report["runtimeError"]["message"] if report else "no report written"
            failures.append(f"{label}: Lighthouse could not audit the page ({problem})")
            cells = ["-" * len(c) for c in CATEGORIES]
        else:
            cells = []
            for name in CATEGORIES:
                category = report["categories"][name]
                value = score(category["score"])
                cells.append(f"{'n/a' if value is None else value:>{len(name)}}")
                if value is None or value < min_score:
                    failures.append(f"{label} {name}: {value} < {min_score}")
                if value != 100:
                    details.append(f"{label} {name} {value}:")
                    details += [f"  {line}" for line in costly_audits(report, category)]
            # Warnings such as "the page loaded too slowly to finish" make a score doubtful.
            details += [f"{label} warning: {warning}" for warning in report.get("runWarnings", [])]
        print(f"| {label:<8} | {path:<32} | " + " | ".join(cells) + " |")

    if details:
        print("\nAudits under 100 (weighted, so they lowered the score):")
        print("\n".join(details))
    if failures:
        print(f"\nFAIL (minimum score {min_score}):")
        print("\n".join(f"  {line}" for line in failures))
        return 1
    print(f"\nPASS: every score is at least {min_score}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

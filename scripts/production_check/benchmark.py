"""A cached page through the shipped nginx against the same bytes as a static file (wrk)."""

import os
import re
import subprocess

from .common import BROWSER_ENCODINGS, WORK, Visitor, check, section


def wrk(url: str, host: str) -> dict:
    seconds = os.environ.get("BENCH_SECONDS", "5")
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Host: {host}",
            "-H",
            f"Accept-Encoding: {BROWSER_ENCODINGS}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=int(seconds) + 60,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label):
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "socket": errors.group(1) if errors else "",
    }


def benchmark() -> None:
    section("Benchmark: the home page through the shipped nginx vs. the same bytes as a file")
    page = Visitor("127.0.0.2").get("/", **{"Accept-Encoding": BROWSER_ENCODINGS})
    (WORK / "static-copy" / "index.html").write_bytes(page.body)
    os.chmod(WORK / "static-copy" / "index.html", 0o644)
    os.chmod(WORK / "static-copy", 0o755)
    rows = {"static file": [], "cached page": []}
    for _ in range(2):
        rows["static file"].append(wrk("https://127.0.0.1/", "static.localhost"))
        rows["cached page"].append(wrk("https://127.0.0.1/", "localhost"))
    best = {label: max(runs, key=lambda r: r["rps"]) for label, runs in rows.items()}
    print(
        f"  wrk -t2 -c32 -d{os.environ.get('BENCH_SECONDS', '5')}s, best of 2, "
        f"{len(page.body)} bytes ({page.header('content-encoding') or 'identity'})"
    )
    print("  | target      |    req/s |  p50 ms |  p99 ms | errors | x static | goal")
    print("  |-------------|----------|---------|---------|--------|----------|-------------")
    floor = best["static file"]["rps"]
    for label, row in best.items():
        ratio = row["rps"] / floor
        goal = "" if label == "static file" else ("PASS" if ratio >= 0.8 else "BELOW 0.8x")
        print(
            f"  | {label:<11} | {row['rps']:8.0f} | {row['p50']:7.2f} | {row['p99']:7.2f} | "
            f"{row['errors']:6d} | {ratio:7.2f}x | {'>= 0.8x ' + goal if goal else ''}"
        )
    check("no errors under load", all(r["errors"] == 0 for r in best.values()))

"""Time per search, measured in one process: steadier than wrk on a busy machine.

Usage: python bench/search_cpu.py [COUNT] [--profile]
(from the project root, with bench/run's environment: DATABASE_URL, DJANGO_DEBUG=False,
SEARCH_RATE_LIMIT=0, a collected STATIC_ROOT). COUNT searches per row (default 300).

Requests go through the site's WSGI application, as gunicorn's do, counting included.
Rows:
- varied: every request a different two-word query, made from bench/varied_search.lua's
  words the same way (so the same kinds of query: site words, patients' words, words the
  site does not use, misspellings), after a warm-up on other pairs of the same words;
- repeated-engine: "nasal spray" again and again with no kept results pages
  (SEARCH_RESULT_CACHE_SIZE=0), what bench/run's scale rows ask one at a time;
- repeated-kept: the same with the kept results pages on (bench/run's "search" row).
For each: milliseconds per search (wall clock and this process's CPU time) and database
queries per search. With --profile, the functions that took the most time in each row.
"""

import cProfile
import io
import os
import pstats
import re
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from tests.wsgi_client import WsgiClient  # noqa: E402

WORDS_FILE = Path(__file__).with_name("varied_search.lua")
WARM_UP = 200


def varied_words() -> list[str]:
    """The word list of bench/varied_search.lua (one list for both benchmarks)."""
    text = WORDS_FILE.read_text()
    block = re.search(r"local words = \{(.*?)\n\}", text, re.S).group(1)
    return re.findall(r'"([^"]+)"', block)


def varied_queries(start: int, count: int) -> list[str]:
    """Pairs of words as varied_search.lua makes them, from request number `start` on."""
    words = varied_words()
    n = len(words)
    return [f"{words[i % n]} {words[(i // n) % n]}" for i in range(start, start + count)]


def search(client: WsgiClient, query: str) -> int:
    """One search; the number of database queries it made."""
    url = "/search/?" + urlencode({"q": query})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, host="127.0.0.1", x_forwarded_proto="https")
    assert response.status_code == 200, (query, response.status_code)
    return len(queries)


def measure(client: WsgiClient, queries: list[str], profile: cProfile.Profile | None = None):
    sql = 0
    wall, cpu = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    for query in queries:
        sql += search(client, query)
    if profile:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = len(queries)
    return 1000 * wall / count, 1000 * cpu / count, sql / count


def main(count: int, profile: bool) -> None:
    client = WsgiClient()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"{'row':<16} {'searches':>8} {'ms wall':>8} {'ms CPU':>8} {'SQL':>6}")
    rows, profiles = [], {}
    with override_settings(SEARCH_RESULT_CACHE_SIZE=0):
        measure(client, varied_queries(0, WARM_UP))  # the pages most searches show, kept
        profiles["varied"] = cProfile.Profile() if profile else None
        rows.append(("varied", measure(client, varied_queries(2000, count), profiles["varied"])))
        measure(client, ["nasal spray"] * 5)
        profiles["repeated-engine"] = cProfile.Profile() if profile else None
        rows.append(
            (
                "repeated-engine",
                measure(client, ["nasal spray"] * count, profiles["repeated-engine"]),
            )
        )
    profiles["repeated-kept"] = cProfile.Profile() if profile else None
    rows.append(
        ("repeated-kept", measure(client, ["nasal spray"] * count, profiles["repeated-kept"]))
    )
    for label, (wall, cpu, sql) in rows:
        print(f"{label:<16} {count:>8} {wall:>8.2f} {cpu:>8.2f} {sql:>6.1f}")
    for label, profiler in profiles.items():
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(
                r"articles/|insights/|clinic/|jinja2/env", 30
            )
            print(f"--- {label}\n{out.getvalue()}")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 300, "--profile" in sys.argv)

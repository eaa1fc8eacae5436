"""Database queries per page type, first visit (page cache empty) and repeat visit.

Run by bench/run with the benchmark's environment (same database), from the project root.
"""

import os
import sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def main(urls: list[str]) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':<40} {'first visit':>12} {'repeat':>8}")
    for url in urls:
        first, repeat = count(client, url), count(client, url)
        print(f"{url:<40} {first:>12} {repeat:>8}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Database queries per page type, first visit (page cache empty) and repeat visit.

Run by bench/run with the benchmark's environment (same database), from the project root.
Requests go through the site's WSGI application, page cache included, as gunicorn's do.
"""

import os
import sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.wsgi_client import WsgiClient  # noqa: E402


def count(client: WsgiClient, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, host="127.0.0.1", x_forwarded_proto="https")
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def main(urls: list[str]) -> None:
    client = WsgiClient()
    print(f"{'page':<40} {'first visit':>12} {'repeat':>8}")
    for url in urls:
        first, repeat = count(client, url), count(client, url)
        print(f"{url:<40} {first:>12} {repeat:>8}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""A small client that calls the site's real WSGI application, page cache included.

Django's test client calls Django directly, below the page cache (clinic_site/wsgi.py), so
the page-cache tests use this instead. Like Django's client, it leaves the database
connection alone between requests, so tests keep their transaction.
"""

import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from clinic_site.wsgi import application


@dataclass
class WsgiResponse:
    status_code: int
    headers: dict[str, str]  # names in lower case
    content: bytes = field(repr=False)

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def has_header(self, name: str) -> bool:
        return name.lower() in self.headers

    def text(self) -> str:
        return self.content.decode()


class WsgiClient:
    def __init__(self, cookies: dict[str, str] | None = None) -> None:
        self.cookies = dict(cookies or {})

    def get(
        self, url: str, method: str = "GET", script_name: str = "", **headers: str
    ) -> WsgiResponse:
        """headers: HTTP headers as keyword arguments, e.g. accept_encoding="gzip".
        script_name: where the site is mounted, as a server (or a forged header) says."""
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SCRIPT_NAME": script_name,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for name, value in headers.items():
            environ["HTTP_" + name.upper()] = value
        return self._call(environ)

    def _call(self, environ: dict) -> WsgiResponse:
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=int(status.split()[0]), headers=headers)

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = application(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        headers = {}
        for name, value in started["headers"]:
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return WsgiResponse(started["status"], headers, content)

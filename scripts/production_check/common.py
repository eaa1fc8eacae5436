"""What every check uses: where the running site's files are (from scripts/production-check's
environment), the pass/fail record, a visitor with its own loopback address and cookies, and
small builders of requests (an inquiry, a PNG, a multipart upload)."""

import http.client
import io
import os
import re
import ssl
import struct
import subprocess
import time
import uuid
import zlib
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ["PRODUCTION_CHECK_WORK"])
OBSERVATORY = Path(os.environ["PRODUCTION_CHECK_OBSERVATORY"])
PORT_A, PORT_B, PORT_SMTP = (int(p) for p in os.environ["PRODUCTION_CHECK_PORTS"].split())
REDIS_DB = os.environ["PRODUCTION_CHECK_REDIS_DB"]
CERT = WORK / "cert.pem"
ACCESS_LOG = WORK / "access.log"
# Every log the chain writes: nginx's access and error logs (the site's own and the main
# one), gunicorn's, this check's.
LOGS = [ACCESS_LOG, WORK / "clinic-error.log", WORK / "error.log", WORK / "gunicorn.log"]
# A search a patient might make, sent with requests that make nginx and gunicorn log
# errors: it must never appear in any log.
SENSITIVE = "overdose+help+for+my+son+" + uuid.uuid4().hex[:8]
OWNER_PASSWORD = "production-check-owner-" + uuid.uuid4().hex
PY = str(PROJECT / ".venv" / "bin" / "python")
ARTICLE = "/articles/how-ketamine-works/"
ROOT_PASSWORD = "production-check-root-" + uuid.uuid4().hex
DESK_PASSWORD = "production-check-desk-" + uuid.uuid4().hex
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"

failures: list[str] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    print(f"  {'PASS' if ok else 'FAIL'}  {name}{'  (' + detail + ')' if detail else ''}")
    if not ok:
        failures.append(name)
    return ok


def section(title: str) -> None:
    print(f"\n== {title}")


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.body = status, body
        self.headers = {}
        for name, value in headers:
            self.headers.setdefault(name.lower(), []).append(value)

    def header(self, name: str) -> str:
        return ", ".join(self.headers.get(name.lower(), []))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Visitor:
    """One browser: its own loopback address, its own cookies."""

    context = ssl.create_default_context(cafile=str(CERT))

    def __init__(self, address: str = "127.0.0.2") -> None:
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None, port=443, scheme="https"):
        headers = {"Host": "localhost", **(headers or {})}
        if self.cookies and "Cookie" not in headers:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                "localhost",
                port,
                context=self.context,
                timeout=30,
                source_address=(self.address, 0),
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30, source_address=(self.address, 0)
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        for value in response.headers.get("set-cookie", []):
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def form_tokens(self, path: str) -> dict[str, str]:
        page = self.get(path).text
        tokens = {}
        for name in ("csrfmiddlewaretoken", "served"):
            match = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(
                rf'value="([^"]*)" name="{name}"', page
            )
            if match:
                tokens[name] = match.group(1)
        return tokens

    def post_form(self, path, data, tokens_from=None, **headers):
        tokens = self.form_tokens(tokens_from or path)
        body = urlencode({**tokens, **data}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://localhost",
            "Referer": f"https://localhost{path}",
            **headers,
        }
        return self.request("POST", path, body=body, headers=headers)


def direct(port: int, path: str, **headers) -> Response:
    """Straight to one gunicorn, as nginx would ask it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "GET",
            path,
            headers={
                "Host": "localhost",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "127.0.0.1",
                **headers,
            },
        )
        raw = connection.getresponse()
        return Response(raw.status, raw.getheaders(), raw.read())
    finally:
        connection.close()


def manage(*args: str, check_ok: bool = True) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=PROJECT, capture_output=True, text=True, timeout=300
    )
    if check_ok and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout + result.stderr


def access_log_lines() -> list[str]:
    return ACCESS_LOG.read_text().splitlines() if ACCESS_LOG.exists() else []


def cache_status_of_last(path: str) -> str:
    time.sleep(0.2)  # nginx writes the line after the response
    for line in reversed(access_log_lines()):
        if f" {path} HTTP" in line:
            match = re.search(r"cache=(\S+)", line)
            return match.group(1) if match else "?"
    return "?"


def redis_page_keys() -> int:
    out = subprocess.run(
        ["redis-cli", "-n", REDIS_DB, "--scan", "--pattern", "*page-cache:page:*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return len(out.split())


def inquiry(**overrides) -> dict[str, str]:
    data = {
        "name": "Production Check",
        "email": "check@example.com",
        "phone": "",
        "preferred_contact": "email",
        "topic": "other",
        "message": "A question sent by scripts/production-check.",
        "consent": "on",
        "website": "",
        "source_page": "",
    }
    data.update(overrides)
    return data


def png(width: int, height: int) -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x10\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def multipart(field: str, filename: str, content: bytes, token: str) -> tuple[bytes, str]:
    boundary = "----check" + uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in (("csrfmiddlewaretoken", token.encode()),):
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(value + b"\r\n")
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"'
        f"\r\nContent-Type: image/png\r\n\r\n".encode()
    )
    body.write(content + f"\r\n--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"

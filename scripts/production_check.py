"""The checks of scripts/production-check, run against nginx (deploy/) in front of two
gunicorn instances. Talks only to 127.0.0.x. Prints each check; exits 1 if any failed.

Visitors are told apart by the loopback address they connect from (127.0.0.2, 127.0.0.3...):
nginx sees each as its own client and sets X-Forwarded-For from it, as it would for
visitors on the internet.
"""

import http.client
import io
import json
import os
import re
import ssl
import struct
import subprocess
import sys
import threading
import time
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.fake_smtp import StallingSmtpServer  # noqa: E402

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


# --- The checks -------------------------------------------------------------------------


def check_observatory() -> None:
    section("MDN HTTP Observatory (https://localhost, self-signed certificate trusted)")
    env = {**os.environ, "NODE_EXTRA_CA_CERTS": str(CERT)}
    result = subprocess.run(
        ["node", str(OBSERVATORY / "src" / "scan.js"), "localhost"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        check("Observatory ran", False, (result.stdout + result.stderr)[-500:])
        return
    if "error" in report:
        check("Observatory ran", False, report["error"])
        return
    scan = report["scan"]
    print(
        f"  grade {scan['grade']}, score {scan['score']}/100, "
        f"{scan['testsPassed']} of {scan['testsQuantity']} tests passed"
    )
    for name, test in sorted(report["tests"].items()):
        modifier = test.get("scoreModifier", 0)
        if modifier < 0 or not test.get("pass", True):
            print(f"    costs {modifier:+d}: {name}: {test.get('result')}")
    for name, test in sorted(report["tests"].items()):
        modifier = test.get("scoreModifier", 0)
        if modifier > 0:
            print(f"    bonus {modifier:+d}: {name}: {test.get('result')}")
    check("Observatory grade is A+", scan["grade"] == "A+", f"{scan['grade']}, {scan['score']}")


def check_transport() -> None:
    section("TLS, redirect, headers, compression, access log")
    visitor = Visitor()
    redirect = visitor.request("GET", "/articles/?topic=safety", port=80, scheme="http")
    check(
        "HTTP is redirected to HTTPS",
        redirect.status == 301
        and redirect.header("location") == "https://localhost/articles/?topic=safety",
        f"{redirect.status} {redirect.header('location')}",
    )
    home = visitor.get("/")
    check("home page over HTTPS", home.status == 200, str(home.status))
    check("HSTS for a year", "max-age=31536000" in home.header("strict-transport-security"))
    check("Content-Security-Policy", "default-src 'self'" in home.header("content-security-policy"))
    check("nginx hides its version", home.header("server") in ("nginx", ""), home.header("server"))
    contact = visitor.get("/contact/", **{"Accept-Encoding": "gzip"})
    check(
        "an uncached page (contact) is gzipped by nginx",
        contact.header("content-encoding") == "gzip",
        contact.header("content-encoding"),
    )
    brotli_module = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
    if brotli_module.exists():
        contact = visitor.get("/contact/", **{"Accept-Encoding": "br"})
        check(
            "... and brotli when the browser takes it (Debian's module is installed)",
            contact.header("content-encoding") == "br",
            contact.header("content-encoding"),
        )
    secret = "privatesearchword" + uuid.uuid4().hex[:6]
    visitor.get(f"/search/?q={secret}")
    time.sleep(0.3)
    log = ACCESS_LOG.read_text()
    check(
        "the access log never holds a query string",
        secret not in log and "?" not in log,
        f"{len(log.splitlines())} lines",
    )
    head = visitor.request("HEAD", "/contact/")
    check("HEAD /contact/ answers 200", head.status == 200, str(head.status))
    underscore = visitor.get("/", **{"SCRIPT_NAME": "/evil"})
    check(
        "a SCRIPT_NAME header through nginx changes no link",
        underscore.status == 200 and "/evil" not in underscore.text,
    )
    for port in (PORT_A, PORT_B):
        poisoned = direct(port, "/articles/", SCRIPT_NAME="/evil")
        after = direct(port, "/")
        check(
            f"a SCRIPT_NAME header straight to gunicorn :{port} changes no link",
            poisoned.status == 200 and "/evil" not in poisoned.text + after.text,
        )
    big = visitor.request(
        "POST",
        "/contact/",
        body=b"x" * (7 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
    )
    check("a body over 6 MB is refused by nginx", big.status == 413, str(big.status))


def check_caching() -> None:
    section("Micro-cache (nginx) and page cache (Redis) through the proxy")
    visitor = Visitor("127.0.0.2")
    visitor.get(ARTICLE)
    visitor.get(ARTICLE)
    check(
        "a public page is kept by nginx",
        cache_status_of_last(ARTICLE) == "HIT",
        cache_status_of_last(ARTICLE),
    )
    visitor.get("/?utm_source=newsletter&gclid=1")
    check(
        "tracking parameters share the query-less entry",
        cache_status_of_last("/") in ("HIT", "STALE", "UPDATING"),
        cache_status_of_last("/"),
    )
    Visitor("127.0.0.2").get(ARTICLE, Cookie="__Host-sessionid=abc")
    check(
        "never for a visitor with a session cookie",
        cache_status_of_last(ARTICLE) == "BYPASS",
        cache_status_of_last(ARTICLE),
    )
    for path in ("/contact/", "/search/?q=ketamine", "/admin/login/"):
        visitor.get(path)
        visitor.get(path)
    status = {
        path: cache_status_of_last(path.split("?")[0])
        for path in ("/contact/", "/search/", "/admin/login/")
    }
    check(
        "never the contact page, search or the admin",
        all(value == "-" for value in status.values()),
        str(status),
    )

    fresh = Visitor("127.0.0.2")
    fresh.get("/healthz")
    fresh.get("/healthz")
    check(
        "never a response the site does not mark public (/healthz: no-cache, private)",
        cache_status_of_last("/healthz") == "MISS",
        cache_status_of_last("/healthz"),
    )

    before = redis_page_keys()
    for number in range(40):
        visitor.get(f"/?utm={number}")
        visitor.get(f"/faq/?x={number}")
    after = redis_page_keys()
    check("40 distinct queries store no page", after == before, f"{before} -> {after} entries")

    # Invalidation: a save (here from manage.py, as the admin would) reaches both instances
    # at once through Redis, and the proxy within its few seconds.
    marker = "Updated " + uuid.uuid4().hex[:8]
    # The save runs in a Django process of its own (as the admin's would), started first so
    # that the moment of the save is known to a fraction of a second.
    saver = subprocess.Popen(
        [PY, "manage.py", "shell", "-c",
         "import sys\nfrom articles.models import Article\n"
         "a = Article.objects.get(slug='how-ketamine-works')\n"
         "print('ready', flush=True)\nsys.stdin.readline()\n"
         f"a.title = a.title + ' ({marker})'\na.save()\nprint('saved', flush=True)"],
        cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    while saver.stdout.readline().strip() not in ("ready", ""):
        pass  # Django's shell may first say what it imported
    visitor = Visitor("127.0.0.2")  # no cookies (the one above has a CSRF cookie now)
    for port in (PORT_A, PORT_B):
        direct(port, ARTICLE)  # both instances have the page cached
    visitor.get(ARTICLE)
    visitor.get(ARTICLE)  # and nginx has it, for at most 5 seconds from now
    stored = time.monotonic()
    saver.stdin.write("\n")
    saver.stdin.flush()
    while saver.stdout.readline().strip() not in ("saved", ""):
        pass
    saver.wait(30)
    saved = time.monotonic()
    both = all(marker in direct(port, ARTICLE).text for port in (PORT_A, PORT_B))
    check("a save is live at once on both gunicorn instances (shared Redis)", both)
    old_served, seen = 0, None
    while time.monotonic() - saved < 15:
        if marker in visitor.get(ARTICLE).text:
            seen = time.monotonic() - saved
            break
        old_served += 1
        time.sleep(0.1)
    check(
        "... and through nginx within seconds (its micro-cache keeps a page 5 s)",
        seen is not None and time.monotonic() - stored <= 7,
        f"live {seen:.1f} s after the save, {old_served} requests got the page kept "
        f"from {saved - stored:.1f} s before it"
        if seen is not None
        else "not within 15 s",
    )


def check_client_addresses_and_mail(smtp: StallingSmtpServer) -> None:
    section("Client addresses: rate limit (3/h) and sign-in lockout through the proxy")
    first, second = Visitor("127.0.0.3"), Visitor("127.0.0.4")
    statuses = []
    for number in range(3):
        started = time.monotonic()
        response = first.post_form("/contact/", inquiry(message=f"Rate limit check {number}."))
        statuses.append(response.status)
    check(
        "the mail server stalls, yet every inquiry is answered at once",
        time.monotonic() - started < 3 and smtp.connections == 0,
        f"last took {time.monotonic() - started:.2f} s",
    )
    fourth = first.post_form("/contact/", inquiry(), **{"X-Forwarded-For": "198.51.100.1"})
    check(
        "one visitor: 3 inquiries pass, the 4th is refused (even with a forged header)",
        statuses == [302, 302, 302] and fourth.status == 429,
        f"{statuses} then {fourth.status}",
    )
    lines = ["Line " + "x" * 43] * 40  # 1,965 characters as typed; CR LF on the wire
    crlf = second.post_form("/contact/", inquiry(message="\r\n".join(lines)))
    check(
        "another visitor is not limited; a message with CR LF line breaks fits",
        crlf.status == 302,
        str(crlf.status),
    )

    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('root', 'root@example.com', '{ROOT_PASSWORD}'); "
        f"User.objects.create_user('frontdesk', password='{DESK_PASSWORD}', is_staff=True)",
    )
    attacker = Visitor("127.0.0.5")
    guesses = []
    for _ in range(2):
        for _ in range(4):
            guesses.append(
                attacker.post_form(
                    "/admin/login/", {"username": "root", "password": "guess"}
                ).status
            )
        desk = attacker.post_form(
            "/admin/login/", {"username": "frontdesk", "password": DESK_PASSWORD}
        )
        attacker.cookies.clear()
    real = attacker.post_form("/admin/login/", {"username": "root", "password": ROOT_PASSWORD})
    check(
        "root locked for that address after its failures, whatever frontdesk did",
        real.status == 429 and 429 in guesses,
        f"{guesses}, frontdesk {desk.status}, root {real.status}",
    )
    elsewhere = Visitor("127.0.0.6")
    ok = elsewhere.post_form("/admin/login/", {"username": "root", "password": ROOT_PASSWORD})
    check("root can still sign in from another address", ok.status == 302, str(ok.status))

    section("Staff are e-mailed outside the request (fake SMTP server, stalled until now)")
    sender = subprocess.Popen(
        [PY, "manage.py", "notify_inquiries"],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reached = smtp.connected.wait(60)
    during = Visitor("127.0.0.7")
    started = time.monotonic()
    answer = during.post_form("/contact/", inquiry(message="Sent while the sender waits."))
    took = time.monotonic() - started
    check(
        "an inquiry is answered while the sender waits on the mail server",
        reached and answer.status == 302 and took < 3,
        f"{answer.status} in {took:.2f} s",
    )
    smtp.release.set()
    output = sender.communicate(timeout=120)[0]
    again = manage("notify_inquiries")
    once_more = manage("notify_inquiries")
    ids = manage(
        "shell",
        "-c",
        "from inquiries.models import Inquiry; "
        "print(list(Inquiry.objects.filter(status='new').values_list('pk', flat=True)))",
    )
    pks = json.loads(ids.strip().splitlines()[-1])
    counts = {pk: sum(f"/inquiries/inquiry/{pk}/change/" in m for m in smtp.messages) for pk in pks}
    check(
        "every inquiry's notification sent exactly once",
        pks and all(count == 1 for count in counts.values()) and "Sent 0" in once_more,
        f"{len(smtp.messages)} e-mails for {len(pks)} inquiries; "
        f"runs: {output.strip()} / {again.strip()} / {once_more.strip()}",
    )


def check_bad_input() -> None:
    section("Bad input through the proxy: polite answers, never a 500")
    visitor = Visitor("127.0.0.8")
    tokens = visitor.form_tokens("/contact/")
    body = (
        f"csrfmiddlewaretoken={tokens['csrfmiddlewaretoken']}&name=".encode() + b"\xff\xfe&x=\x81"
    )
    bad = visitor.request(
        "POST",
        "/contact/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=iso-8859-1",
            "Origin": "https://localhost",
            "Referer": "https://localhost/contact/",
        },
    )
    check(
        "a form in another character set gets the site's 400 page",
        bad.status == 400 and "We could not read what was sent" in bad.text,
        str(bad.status),
    )

    editor = Visitor("127.0.0.9")
    signed_in = editor.post_form(
        "/admin/login/", {"username": "root", "password": ROOT_PASSWORD, "next": "/admin/"}
    )
    check("staff sign in through the proxy", signed_in.status == 302, str(signed_in.status))
    token = editor.form_tokens("/admin/articles/article/add/").get("csrfmiddlewaretoken", "")
    headers = {"Origin": "https://localhost", "Referer": "https://localhost/admin/"}
    for size in ((10, 20000), (1000, 20000)):
        body, content_type = multipart("image", "tall.png", png(*size), token)
        tall = editor.request(
            "POST", "/editor/upload/", body=body, headers={**headers, "Content-Type": content_type}
        )
        check(
            f"a {size[0]}x{size[1]} image is refused with a message",
            tall.status == 400 and "too tall or too wide" in tall.text,
            f"{tall.status}",
        )
    body, content_type = multipart("image", "ok.png", png(40, 30), token)
    good = editor.request(
        "POST", "/editor/upload/", body=body, headers={**headers, "Content-Type": content_type}
    )
    url = re.search(r"\((/media/[^)]+)\)", good.text)
    image = Visitor("127.0.0.2").get(url.group(1)) if url else None
    check(
        "an upload is served from /media/ by nginx",
        image is not None
        and image.status == 200
        and image.header("content-type") == "image/png"
        and image.header("x-content-type-options") == "nosniff",
        f"{good.status} {image.status if image else ''}",
    )
    if image is not None:
        check(
            "... with one Cache-Control and HSTS with preload",
            len(image.headers.get("cache-control", [])) == 1
            and "preload" in image.header("strict-transport-security"),
            f"{image.headers.get('cache-control')} / {image.header('strict-transport-security')}",
        )
    preview = editor.request(
        "POST",
        "/editor/markdownify/?model=articles.article",
        body=urlencode(
            {
                "csrfmiddlewaretoken": token,
                "content": "Before\n\n![x](/media/articles/images/../../etc/passwd)\n\nAfter",
            }
        ).encode(),
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    check(
        "a Markdown image path with .. previews the rest and says why",
        preview.status == 200 and "After" in preview.text and "cannot be shown" in preview.text,
        str(preview.status),
    )


def check_upload_attack() -> None:
    section("Six anonymous uploads at once, repeated: other visitors never get a 502")
    payload = b"x" * (5 * 1024 * 1024)
    body, content_type = multipart("image", "big.png", payload, "no-token")
    stop = threading.Event()
    seen: list[tuple[str, int]] = []

    def visitor() -> None:
        person = Visitor("127.0.0.30")
        # (No search: its own limit would answer a long run of them with 429.)
        paths = ["/healthz", "/contact/", "/articles/", "/admin/login/", "/faq/"]
        number = 0
        while not stop.is_set():
            path = paths[number % len(paths)]
            number += 1
            try:
                seen.append((path, person.get(path).status))
            except OSError as error:
                seen.append((path, f"{type(error).__name__}"))
            time.sleep(0.05)

    def upload(number: int) -> int | str:
        try:
            return (
                Visitor(f"127.0.0.{20 + number}")
                .request(
                    "POST",
                    f"/editor/upload/?q={SENSITIVE}",
                    body=body,
                    # No Origin or Referer: Django refuses it (CSRF) without reading the
                    # body, and gunicorn closes the connection while nginx still sends it.
                    headers={"Content-Type": content_type},
                )
                .status
            )
        except OSError as error:
            return type(error).__name__

    watcher = threading.Thread(target=visitor)
    watcher.start()
    attacks = []
    try:
        for _ in range(3):
            with ThreadPoolExecutor(max_workers=6) as pool:
                attacks.append(sorted(map(str, pool.map(upload, range(6)))))
            time.sleep(1)
        time.sleep(3)  # the ten seconds nginx used to keep an upstream out began here
    finally:
        stop.set()
        watcher.join(30)
    bad = [(path, status) for path, status in seen if status not in (200, 302)]
    check(
        "every visitor's request answered during and after the uploads (no 502)",
        len(seen) > 20 and not bad,
        f"{len(seen)} requests, {len(bad)} not answered: {bad[:5]}; uploads got {attacks}",
    )
    site_conf = (WORK / "site.conf").read_text()
    servers = re.findall(r"server 127\.0\.0\.1:\d+[^;]*;", site_conf)
    check(
        "both upstream server lines say max_fails=0",
        len(servers) == 2 and all("max_fails=0" in line for line in servers),
        "; ".join(servers),
    )
    visitor_ = Visitor("127.0.0.31")
    small = visitor_.request(
        "POST",
        f"/contact/?q={SENSITIVE}",
        body=b"x" * (100 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    check(
        "a 100 KB form is refused by nginx (413), not passed to gunicorn",
        small.status == 413,
        str(small.status),
    )
    check(
        "... with nginx's own page: crisis notice, the clinic's phone, the site's headers",
        'href="tel:988"' in small.text
        and "555-0142" in small.text
        and "preload" in small.header("strict-transport-security")
        and "default-src 'none'" in small.header("content-security-policy")
        and small.header("x-content-type-options") == "nosniff",
        small.header("strict-transport-security"),
    )
    page = visitor_.get("/_proxy-errors/502.html")
    check(
        "the 502 page nginx would show has them too",
        page.status == 200
        and 'href="tel:911"' in page.text
        and "preload" in page.header("strict-transport-security"),
        str(page.status),
    )


def check_correction_after_idle_spell() -> None:
    section("A correction after a quiet spell: the first visitor gets the new text")
    path = "/faq/"
    visitor = Visitor("127.0.0.32")
    visitor.get(path)
    visitor.get(path)  # nginx keeps it now
    marker = "Corrected " + uuid.uuid4().hex[:8]
    manage(
        "shell",
        "-c",
        "from articles.models import FAQEntry\n"
        "entry = FAQEntry.objects.order_by('pk').first()\n"
        f"entry.answer = entry.answer + ' ({marker})'\nentry.save()",
    )
    time.sleep(6.5)  # past the micro-cache's 5 seconds, with no traffic at all
    first = Visitor("127.0.0.33").get(path)
    check(
        "the first request after the spell shows the correction",
        marker in first.text,
        f"cache={cache_status_of_last(path)}",
    )


def check_lockout_cannot_be_turned_against_staff() -> None:
    section("Sign-in: strangers' guesses cannot lock the owner out of a known place")
    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('owner', password='{OWNER_PASSWORD}', is_staff=True)",
    )
    office = Visitor("127.0.0.40")
    first = office.post_form("/admin/login/", {"username": "owner", "password": OWNER_PASSWORD})
    check("the owner signs in at the office", first.status == 302, str(first.status))
    started = time.monotonic()
    guesses = []
    for number in range(4):
        attacker = Visitor(f"127.0.0.{41 + number}")
        for _ in range(5):
            guesses.append(
                attacker.post_form(
                    "/admin/login/", {"username": "owner", "password": "wrong"}
                ).status
            )
            attacker.cookies.pop("__Host-sessionid", None)
    took = time.monotonic() - started
    back = Visitor("127.0.0.40")
    again = back.post_form("/admin/login/", {"username": "owner", "password": OWNER_PASSWORD})
    check(
        "after 20 wrong passwords from 4 addresses, the owner at the office signs in",
        again.status == 302,
        f"{len(guesses)} guesses in {took:.1f} s, then {again.status}",
    )
    fresh = Visitor("127.0.0.45").post_form(
        "/admin/login/", {"username": "owner", "password": OWNER_PASSWORD}
    )
    attacker = Visitor("127.0.0.41").post_form(
        "/admin/login/", {"username": "owner", "password": OWNER_PASSWORD}
    )
    check(
        "guessing stays throttled: a new address and an attacker's get 429",
        fresh.status == 429 and attacker.status == 429,
        f"new {fresh.status}, attacker {attacker.status}",
    )


def check_search_limit() -> None:
    section("Search limit per address (SEARCH_RATE_LIMIT, 60 a minute)")
    script = Visitor("127.0.0.50")
    statuses = [script.get(f"/search/?q=word{number}").status for number in range(70)]
    crisis = script.get("/search/?q=I+want+to+kill+myself")
    other = Visitor("127.0.0.51").get("/search/?q=nausea")
    check(
        "70 searches from one address: the last are refused with 429",
        statuses.count(200) <= 60 and statuses[-1] == 429,
        f"{statuses.count(200)} answered, {statuses.count(429)} refused",
    )
    check(
        "a crisis search is answered all the same, and other visitors search on",
        crisis.status == 200 and other.status == 200,
        f"crisis {crisis.status}, other {other.status}",
    )


def check_logs() -> None:
    section("Logs: no query string, no search words, anywhere")
    time.sleep(0.5)
    secret = SENSITIVE.split("+")[-1]
    found = {
        log.name: sum(secret in line or "overdose" in line for line in log.read_text().splitlines())
        for log in LOGS
        if log.exists()
    }
    queries = [line for line in access_log_lines() if "?" in line]
    check(
        "no log holds the search words sent with failing requests",
        not any(found.values()),
        ", ".join(f"{name}: {count}" for name, count in found.items()),
    )
    check("the access log holds no query string", not queries, str(queries[:2]))


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


def main() -> int:
    with StallingSmtpServer(stalled=True, port=PORT_SMTP) as smtp:
        check_observatory()
        check_transport()
        check_caching()
        check_client_addresses_and_mail(smtp)
        check_bad_input()
        check_upload_attack()
        check_correction_after_idle_spell()
        check_lockout_cannot_be_turned_against_staff()
        check_search_limit()
        check_logs()
    benchmark()
    print()
    if failures:
        print(f"Production check FAILED: {len(failures)} check(s): " + "; ".join(failures))
        return 1
    print("Production check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Observatory grade, TLS and headers, compression, and the page cache through nginx."""

import json
import os
import subprocess
import time
import uuid
from pathlib import Path

from .common import (
    ACCESS_LOG,
    ARTICLE,
    CERT,
    OBSERVATORY,
    PORT_A,
    PORT_B,
    PROJECT,
    PY,
    Visitor,
    cache_status_of_last,
    check,
    direct,
    redis_page_keys,
    section,
)


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

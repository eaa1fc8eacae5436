"""Issue 26's attacks: uploads at once against both upstreams, a correction after an idle
spell, strangers' guesses at a staff account, a script's searches; and nothing sensitive
in any log."""

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from .common import (
    LOGS,
    OWNER_PASSWORD,
    SENSITIVE,
    WORK,
    Visitor,
    access_log_lines,
    cache_status_of_last,
    check,
    manage,
    multipart,
    section,
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

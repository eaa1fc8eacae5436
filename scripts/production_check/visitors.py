"""Client addresses through the proxy (rate limit, sign-in lockout, stalled mail) and bad
input answered politely."""

import json
import re
import subprocess
import time
from urllib.parse import urlencode

from tests.fake_smtp import StallingSmtpServer

from .common import (
    DESK_PASSWORD,
    PROJECT,
    PY,
    ROOT_PASSWORD,
    Visitor,
    check,
    inquiry,
    manage,
    multipart,
    png,
    section,
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

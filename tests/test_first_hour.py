"""A new clinic's first hour (issue 26): scripts/run on a chosen port, one demo account per
staff role, each able to do its job, and a clear message for a busy port."""

import re
import socket
import subprocess
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from clinic.models import Clinician

from .servers import PROJECT

pytestmark = pytest.mark.django_db


def create_accounts(settings) -> dict[str, str]:
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    return dict(re.findall(r"^  (\w+)\s+(\S+)\s+[A-Z]", out.getvalue(), re.M))


def test_one_account_per_role_with_its_password_printed_once(settings):
    passwords = create_accounts(settings)
    assert set(passwords) == {"editor", "reviewer", "frontdesk", "manager"}
    groups = {user.username: [g.name for g in user.groups.all()] for user in User.objects.all()}
    assert groups == {
        "editor": ["Editor"],
        "reviewer": ["Clinical reviewer"],
        "frontdesk": ["Front desk"],
        "manager": ["Clinic manager"],
    }
    assert Clinician.objects.get(user__username="reviewer")
    again = StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert "already exists" in again.getvalue()
    assert not any(password in again.getvalue() for password in passwords.values())


@pytest.mark.parametrize(
    "username,allowed,refused",
    [
        ("editor", "/admin/articles/article/", "/admin/inquiries/inquiry/"),
        ("reviewer", "/admin/articles/pendingchange/", "/admin/inquiries/inquiry/"),
        ("frontdesk", "/admin/inquiries/inquiry/", "/admin/insights/"),
        ("manager", "/admin/insights/", "/admin/inquiries/inquiry/"),
    ],
)
def test_each_role_signs_in_and_sees_its_own_pages(client, settings, username, allowed, refused):
    passwords = create_accounts(settings)
    signed_in = client.post(
        "/admin/login/", {"username": username, "password": passwords[username], "next": "/admin/"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get(allowed).status_code == 200
    denied = client.get(refused)
    assert denied.status_code == 403
    assert 'id="site-name"' in denied.content.decode()  # the admin's style


def test_demo_accounts_are_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development"):
        call_command("create_demo_accounts", stdout=StringIO())


def run_script(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PROJECT / "scripts" / "run"), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )


def test_a_busy_port_is_named_before_any_setup():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_script(str(port))
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"scripts/run {port + 1}" in result.stderr
    assert "Installing" not in result.stdout  # nothing was set up first


def test_a_port_must_be_a_number():
    result = run_script("eighty")
    assert result.returncode == 2 and "not a port number" in result.stderr


def test_port_from_the_environment_is_checked_too():
    import os

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_script(env={**os.environ, "PORT": str(port)})
    assert result.returncode == 1 and f"port {port}" in result.stderr


def test_the_manager_may_look_at_the_content_but_not_change_it(client, settings):
    passwords = create_accounts(settings)
    client.post("/admin/login/", {"username": "manager", "password": passwords["manager"]})
    assert client.get("/admin/articles/article/").status_code == 200
    assert client.get("/admin/clinic/clinicprofile/").status_code in (200, 302)
    assert client.get("/admin/articles/article/add/").status_code == 403
    assert (
        "You don’t have permission to view or edit anything"
        not in client.get("/admin/").content.decode()
    )

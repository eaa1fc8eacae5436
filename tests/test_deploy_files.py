"""The shipped deploy/ files (issue 26): systemd units sandboxed to "OK" or "MEDIUM",
nginx never marking a gunicorn dead, never serving an expired page, never logging a
query, refusing large bodies itself and answering its own errors with the site's headers."""

import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from clinic.models import ClinicProfile

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
SITE = (DEPLOY / "nginx-site.conf").read_text()
HEADERS = (DEPLOY / "nginx-security-headers.conf").read_text()

# What brings a unit from 8.5 "EXPOSED" to "OK" (checked below by systemd-analyze itself
# when it is installed; without it, these lines must be there).
SANDBOXING = [
    "NoNewPrivileges=yes",
    "CapabilityBoundingSet=",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "PrivateUsers=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "ProtectProc=invisible",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "RestrictNamespaces=yes",
    "RestrictRealtime=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service",
]


def test_six_units_are_shipped():
    assert len(UNITS) == 6


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_carries_the_sandboxing(unit):
    lines = unit.read_text().splitlines()
    missing = [option for option in SANDBOXING if option not in lines]
    assert not missing, f"{unit.name} lacks {missing}"
    assert any(line.startswith("ReadWritePaths=/srv/clinic/") for line in lines)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_systemd_analyze_rates_each_unit_ok_or_medium(unit):
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--no-pager", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    verdict = re.search(r"Overall exposure level for \S+: ([\d.]+) (\w+)", result.stdout)
    assert verdict, result.stdout[-500:] + result.stderr[-500:]
    assert verdict.group(2) in ("OK", "MEDIUM"), verdict.group(0)


def upstream_server_lines(config: str) -> list[str]:
    blocks = re.findall(r"upstream\s+\w+\s*{(.*?)}", config, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if "server " in line]


def test_every_upstream_server_line_has_max_fails_0():
    lines = upstream_server_lines(SITE)
    assert lines
    assert all("max_fails=0" in line for line in lines), lines


def test_the_micro_cache_never_serves_an_expired_page():
    directives = [line.split("#")[0] for line in SITE.splitlines()]
    assert not any("proxy_cache_use_stale" in line for line in directives)
    assert not any("proxy_cache_background_update on" in line for line in directives)
    assert "proxy_cache_valid 200 5s;" in SITE


def test_nginx_logs_no_request_line():
    """The access log's format has no $request or $args; every error_log is at `alert`, the
    level below which nginx writes each request's full line (query included)."""
    log_format = re.search(r"log_format clinic_noquery (.*?);", SITE, re.S).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format
    assert "$args" not in log_format and "$query_string" not in log_format
    error_logs = re.findall(r"^\s*error_log\s+(\S+)\s+(\w+);", SITE, re.M)
    servers = SITE.count("\nserver {")
    assert len(error_logs) == servers == 2
    assert all(level in ("alert", "emerg") for _, level in error_logs)


def test_large_bodies_are_refused_by_nginx_except_for_uploads():
    server_level = re.findall(r"^    client_max_body_size (\S+);", SITE, re.M)
    assert server_level == ["64k"]
    admin = re.search(r"location ~ \^/\(admin\|editor\)\(/\|\$\) {(.*?)}", SITE, re.S).group(1)
    assert "client_max_body_size 6m;" in admin


def test_media_sends_one_cache_control_and_hsts_with_preload():
    media = re.search(r"location /media/ {(.*?)\n    }", SITE, re.S).group(1)
    assert "expires" not in media
    assert media.count("Cache-Control") == 1
    assert "include /srv/clinic/deploy/nginx-security-headers.conf;" in media
    assert "max-age=31536000; includeSubDomains; preload" in HEADERS
    assert all(
        line.endswith(" always;") for line in HEADERS.splitlines() if line.startswith("add_header")
    )


def test_nginx_error_pages_are_served_with_the_site_headers():
    for code in ("413", "502", "503", "504"):
        assert re.search(rf"error_page [\d ]*{code}[\d ]* /_proxy-errors/", SITE), code
    errors = re.search(r"location \^~ /_proxy-errors/ {(.*?)\n    }", SITE, re.S).group(1)
    assert "include /srv/clinic/deploy/nginx-security-headers.conf;" in errors
    assert "Content-Security-Policy" in errors


@pytest.mark.django_db
def test_proxy_error_pages_carry_the_crisis_notice_and_the_clinic_phone(tmp_path):
    profile = ClinicProfile.load()
    profile.phone = "(201) 555-0199"
    profile.save()
    call_command("write_proxy_error_pages", "--to", str(tmp_path), stdout=StringIO())
    for name in ("413.html", "502.html", "503.html"):
        page = (tmp_path / name).read_text()
        assert 'href="tel:988"' in page and 'href="tel:911"' in page
        assert "(201) 555-0199" in page and 'href="tel:2015550199"' in page
        assert "<style" not in page and "style=" not in page  # CSP: style-src 'self' only
    assert (tmp_path / "error.css").exists()

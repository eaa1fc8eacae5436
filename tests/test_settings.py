"""Settings come from the environment; a bad value stops start-up and names the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PROJECT = settings.BASE_DIR
REAL_SECRET = "a-real-secret-key-for-tests-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "clinic_site.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_setting(expression: str, **env: str) -> str:
    result = run_python(f"from clinic_site import settings as s; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "variable,value",
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DJANGO_SECURE_SSL_REDIRECT", "sometimes"),
        ("DJANGO_HSTS_SECONDS", "a year"),
        ("EMAIL_PORT", "-1"),
        ("REDIS_URL", "memcached://127.0.0.1"),
        ("DATABASE_URL", "nosuchdb://x"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = run_python("import clinic_site.settings", **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


def test_no_environment_means_sqlite_locmem_and_console_email():
    assert read_setting("s.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert read_setting("s.DATABASES['default']['OPTIONS']['transaction_mode']") == "IMMEDIATE"
    assert "journal_mode=WAL" in read_setting("s.DATABASES['default']['OPTIONS']['init_command']")
    assert read_setting("s.CACHES['default']['BACKEND']").endswith("LocMemCache")
    assert read_setting("s.EMAIL_BACKEND").endswith("console.EmailBackend")
    assert read_setting("s.DEBUG") == "False"


def test_database_url_switches_to_postgresql():
    engine = read_setting(
        "s.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u@127.0.0.1:5432/clinic"
    )
    assert engine == "django.db.backends.postgresql"


def test_redis_url_switches_to_the_shared_redis_cache():
    backend = read_setting("s.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/1")
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_proxy_header_is_configurable():
    header = read_setting(
        "s.SECURE_PROXY_SSL_HEADER", DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_production_settings_pass_check_deploy_with_nothing_silenced():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        | {"DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": REAL_SECRET},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_flags_the_laptop_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        | {"DJANGO_DEBUG": "False"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "security.W009" in result.stderr + result.stdout

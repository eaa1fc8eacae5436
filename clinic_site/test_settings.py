"""Test settings: the real settings, made fast. Used by pytest (see pyproject.toml)."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
# Counts written in their own request, so a test reads them at once (tests that hold them
# say so: tests/test_insights_pending.py).
INSIGHTS_WRITE_DELAY_MS = 0

# The page cache's shared content version, in a folder of this test run's own.
if CACHES["content_version"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    import tempfile

    CACHES["content_version"]["LOCATION"] = tempfile.mkdtemp(prefix="clinic-test-version-")  # noqa: F405

"""Settings are read in a fresh process, as production starts them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "wijkbv.example",
}


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_check_deploy_fails_when_debug_is_left_on():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **(PRODUCTION | {"DEBUG": "1"})
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_stops_the_start(monkeypatch):
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_bad_database_url_stops_the_start():
    result = _manage("check", DATABASE_URL="nonsense://x")
    assert result.returncode != 0
    assert "DATABASE_URL cannot be read" in result.stderr


def test_csp_forbids_plugins():
    from django.conf import settings

    assert settings.SECURE_CSP["object-src"] == ["'none'"]

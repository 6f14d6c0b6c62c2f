"""Production settings, checked in fresh processes: settings are read once, at start-up."""

import subprocess
import sys

import pytest

from tests.servers import (
    PROJECT,
    fetch,
    production_env,
    run_manage,
    running_site,
    settings_seen,
    site_env,
)

HTTPS_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXY_COUNT",
]


def settings_in(env):
    """The HTTPS settings as a fresh process started with `env` sees them."""
    return settings_seen(env, HTTPS_SETTINGS)


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "manage.py", "check"],
        [sys.executable, "manage.py", "runserver", "--noreload"],
        [sys.executable, "-c", "import injurysite.wsgi"],
        [sys.executable, "-c", "import injurysite.asgi"],
    ],
    ids=["manage.py check", "manage.py runserver", "wsgi", "asgi"],
)
def test_production_without_a_secret_key_stops_with_one_clear_line(command):
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("injurysite: configuration error: DJANGO_SECRET_KEY must be set")


def test_production_without_allowed_hosts_stops_with_one_clear_line():
    env = production_env()
    del env["DJANGO_ALLOWED_HOSTS"]
    result = run_manage("check", env=env, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "injurysite: configuration error: DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG "
        "is off (the comma-separated host names the site answers to, e.g. www.example.com)."
    ]


def test_https_protections_are_on_in_production():
    assert settings_in(production_env()) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "TRUSTED_PROXY_COUNT": 1,
    }


def test_https_protections_are_off_in_development():
    assert settings_in(site_env()) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "TRUSTED_PROXY_COUNT": 0,
    }


def test_each_https_protection_has_its_own_environment_variable():
    env = production_env(
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SECURE_HSTS_PRELOAD="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_CSRF_COOKIE_HTTPONLY="false",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Scheme",
        DJANGO_TRUSTED_PROXY_COUNT="2",
    )
    assert settings_in(env) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_SCHEME", "https"],
        "TRUSTED_PROXY_COUNT": 2,
    }
    assert (
        settings_in(production_env(DJANGO_SECURE_PROXY_SSL_HEADER="off"))["SECURE_PROXY_SSL_HEADER"]
        is None
    )


def test_a_production_server_sends_plain_http_to_https_and_https_readers_get_hsts(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    host = {"Host": "injuries.example"}
    with running_site(env) as url:
        plain = fetch(url + "/robots.txt", headers=host)
        behind_proxy = fetch(url + "/robots.txt", headers={**host, "X-Forwarded-Proto": "https"})
        probe = fetch(url + "/healthz", headers=host)
        stranger = fetch(url + "/robots.txt", headers={"Host": "elsewhere.example"})

    assert plain.status == 301
    assert plain.headers["Location"] == "https://injuries.example/robots.txt"
    assert behind_proxy.status == 200
    assert behind_proxy.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in plain.headers
    # A load balancer probes over plain HTTP and gets the answer, not a redirect.
    assert (probe.status, probe.text) == (200, "ok\n")
    assert stranger.status == 400


def test_a_local_production_run_over_plain_http_can_switch_the_redirect_off(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", DJANGO_SECURE_SSL_REDIRECT="off"
    )
    with running_site(env) as url:
        response = fetch(url + "/robots.txt", headers={"Host": "injuries.example"})
    assert response.status == 200
    assert response.text.startswith("User-agent: *")

"""Admin sign-in is guarded against guessing by django-axes (settings: AXES_*)."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

from core.proxies import client_ip

pytestmark = pytest.mark.django_db

READER = "203.0.113.5"
OTHER_READER = "198.51.100.7"


def sign_in(client, *, password, username="admin", address=READER, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_until_just_before_the_limit(client, settings, **kwargs):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, password="wrong", **kwargs)
        assertContains(response, "Please enter the correct username and password")


def test_repeated_failures_lock_that_user_from_that_address_with_a_clear_page(
    client, admin_user, login_guard
):
    fail_until_just_before_the_limit(client, login_guard)
    response = sign_in(client, password="wrong")
    assert response.status_code == 429
    assertTemplateUsed(response, "axes/lockout.html")
    assertContains(response, "<h1>Sign-in paused</h1>", status_code=429, html=True)
    assertContains(response, "5 failed attempts to sign in as “admin”", status_code=429)
    assertContains(response, "paused for 15 minutes", status_code=429)
    assertContains(response, '<header class="site-header"', status_code=429)
    # Even the right password is refused while the pause lasts.
    assert sign_in(client, password="password").status_code == 429


def test_the_lock_holds_only_that_user_from_that_address(
    client, admin_user, django_user_model, login_guard
):
    django_user_model.objects.create_user("editor", password="editor-pass", is_staff=True)
    fail_until_just_before_the_limit(client, login_guard)
    assert sign_in(client, password="wrong").status_code == 429

    assert sign_in(client, password="password", address=OTHER_READER).status_code == 302
    client.logout()
    assert sign_in(client, username="editor", password="editor-pass").status_code == 302


def test_the_lock_lifts_after_the_pause(client, admin_user, login_guard):
    fail_until_just_before_the_limit(client, login_guard)
    assert sign_in(client, password="wrong").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - login_guard.AXES_COOLOFF_TIME
    )
    response = sign_in(client, password="password")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_successful_sign_in_forgets_earlier_failures(client, admin_user, login_guard):
    fail_until_just_before_the_limit(client, login_guard)
    assert sign_in(client, password="password").status_code == 302
    client.logout()
    fail_until_just_before_the_limit(client, login_guard)
    assert sign_in(client, password="password").status_code == 302


def test_behind_a_proxy_each_reader_is_locked_separately(client, admin_user, login_guard):
    login_guard.TRUSTED_PROXY_COUNT = 1
    proxy = {"address": "127.0.0.1"}
    fail_until_just_before_the_limit(client, login_guard, HTTP_X_FORWARDED_FOR=READER, **proxy)
    assert (
        sign_in(client, password="wrong", HTTP_X_FORWARDED_FOR=READER, **proxy).status_code == 429
    )
    response = sign_in(client, password="password", HTTP_X_FORWARDED_FOR=OTHER_READER, **proxy)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        (0, READER, "", READER),
        (0, READER, "10.9.9.9", READER),  # no proxy: the header is the client's invention
        (1, "127.0.0.1", READER, READER),
        (1, "127.0.0.1", f"10.9.9.9, {READER}", READER),  # the left entry is forged
        (2, "127.0.0.1", f"10.9.9.9, {READER}, 192.0.2.1", READER),
        (1, "127.0.0.1", "", "127.0.0.1"),  # reached without the proxy
    ],
)
def test_the_readers_address_is_taken_only_from_trusted_proxies(
    settings, proxies, remote_addr, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    assert client_ip(request) == expected

import pytest
from django.urls import reverse

from articles.slugs import reserved_slugs

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_one_trivial_query(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = client.get(reverse("healthz"))
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"


def test_healthz_is_never_cached_and_sets_no_cookie(client):
    response = client.get(reverse("healthz"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_lives_at_a_fixed_address_no_article_can_take():
    assert reverse("healthz") == "/healthz"
    assert "healthz" in reserved_slugs()

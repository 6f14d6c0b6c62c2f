import pytest
from django.core.exceptions import ValidationError

from tests.factories import ArticleFactory, CategoryFactory
from tests.servers import python_json, site_env

pytestmark = pytest.mark.django_db


def urls_in(env):
    code = (
        "import json, django; django.setup(); from django.urls import Resolver404, resolve, reverse\n"
        "def view(path):\n"
        "    try: return resolve(path).view_name\n"
        "    except Resolver404: return None\n"
        "print(json.dumps({'index': reverse('admin:index'), 'login': reverse('admin:login'),\n"
        "    'old': view('/admin/login/'), 'new': view('/back-office/login/')}))"
    )
    return python_json(code, env=env)


def test_the_admin_lives_at_admin_by_default():
    assert urls_in(site_env()) == {
        "index": "/admin/",
        "login": "/admin/login/",
        "old": "admin:login",
        "new": None,
    }


@pytest.mark.parametrize("value", ["back-office", "/back-office/", "back-office/"])
def test_the_admin_moves_to_the_path_in_django_admin_path(value):
    assert urls_in(site_env(DJANGO_ADMIN_PATH=value)) == {
        "index": "/back-office/",
        "login": "/back-office/login/",
        "old": None,
        "new": "admin:login",
    }


@pytest.mark.parametrize("factory", [CategoryFactory, ArticleFactory])
@pytest.mark.parametrize("slug", ["admin", "back-office"])
def test_neither_admin_nor_the_configured_admin_path_can_be_taken_as_a_slug(
    settings, factory, slug
):
    settings.ADMIN_PATH = "back-office/"
    page = factory.build(
        slug=slug, **({"category": CategoryFactory()} if factory is ArticleFactory else {})
    )
    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    assert raised.value.message_dict["slug"] == [
        f"“{slug}” is reserved for a page of the site itself. Choose another slug."
    ]

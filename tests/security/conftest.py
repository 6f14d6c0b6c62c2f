import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from articles.groups import create_editors_group
from comments.groups import create_moderators_group
from tests.security.reader import Reader

# Property-based tests: a modest number of examples on every run (CI), more
# on demand with HYPOTHESIS_PROFILE=thorough. A Django test keeps one
# database transaction for all its examples, hence the fixture check is off.
hypothesis_settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("ci"), max_examples=5000
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _open_to_fast_posts(settings):
    """These tests post the moment they have read the page, and many times;
    the robot checks (tested in tests/comments) would hold it all as spam."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1_000_000


@pytest.fixture
def reader(client):
    return Reader(client)


@pytest.fixture
def editor(django_user_model):
    """Staff in the Editors group (made again here: tests that empty the
    database also empty what the data migration made)."""
    user = django_user_model.objects.create_user("edna", "edna@example.com", is_staff=True)
    user.groups.add(create_editors_group())
    return user


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("molly", "molly@example.com", is_staff=True)
    user.groups.add(create_moderators_group())
    return user

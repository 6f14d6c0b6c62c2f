import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

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

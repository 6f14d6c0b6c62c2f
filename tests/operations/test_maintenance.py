"""Which database errors count as an outage (503) rather than a bug (500)."""

import pytest
from django.db import DatabaseError, connection
from django.db.utils import OperationalError

from core.maintenance import is_database_unavailable

pytestmark = pytest.mark.django_db


def error_from(sql):
    with pytest.raises(DatabaseError) as raised, connection.cursor() as cursor:
        cursor.execute(sql)
    return raised.value


@pytest.mark.parametrize(
    "sql",
    ["SELECT * FROM no_such_table", "SELECT no_such_column FROM articles_article", "SELEC 1"],
    ids=["missing table", "missing column", "bad SQL"],
)
def test_a_broken_query_is_a_bug_not_an_outage(sql):
    assert not is_database_unavailable(error_from(sql))


def test_a_database_that_cannot_be_reached_is_an_outage(tmp_path):
    unreachable = connection.copy()
    unreachable.settings_dict = {
        **connection.settings_dict,
        **(
            {"NAME": str(tmp_path / "no-such-folder" / "site.sqlite3")}
            if connection.vendor == "sqlite"
            else {"HOST": "127.0.0.1", "PORT": "1"}
        ),
    }
    with pytest.raises(OperationalError) as raised:
        unreachable.ensure_connection()
    assert is_database_unavailable(raised.value)


def test_other_errors_are_not_outages():
    assert not is_database_unavailable(ValueError("bad input"))

"""The environment variables the site reads, and the README's Configuration table.

An owner configures the site from that table alone, so every variable the
settings (and gunicorn.conf.py) read must be in it, and nothing in it may be a
variable that nothing reads. The names are taken from the code itself: every
call of settings.py's env_* readers and every os.environ read in gunicorn.conf.py.
"""

import ast
import re

from tests.servers import PRODUCTION_SECRET, PROJECT, settings_seen, site_env

SETTINGS = PROJECT / "injurysite" / "settings.py"
GUNICORN_CONF = PROJECT / "gunicorn.conf.py"
README = PROJECT / "README.md"
READERS = {"env_str", "env_int", "env_float", "env_bool", "env_list"}


def _is_os_environ(node):
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _environ_reads(tree):
    """(name or None, line) for each os.environ.get/os.getenv/os.environ[...] in `tree`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            is_get = isinstance(func, ast.Attribute) and (
                (func.attr == "get" and _is_os_environ(func.value))
                or (func.attr == "getenv" and getattr(func.value, "id", None) == "os")
            )
            if is_get:
                yield _literal(node.args[0]) if node.args else None, node.lineno
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            yield _literal(node.slice), node.lineno


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def variables_read_by_settings():
    tree = ast.parse(SETTINGS.read_text())
    readers = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name in READERS
    }
    assert set(readers) == READERS, "settings.py no longer defines the env_* readers"
    # Only the readers themselves touch os.environ, so their calls are every read.
    inside_readers = {
        line
        for function in readers.values()
        for line in range(function.lineno, function.end_lineno + 1)
    }
    stray = [line for _, line in _environ_reads(tree) if line not in inside_readers]
    assert not stray, f"settings.py reads os.environ outside the env_* readers, lines {stray}"

    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in READERS:
            name = _literal(node.args[0])
            assert name, f"settings.py line {node.lineno}: the variable name must be a literal"
            names.add(name)
    return names


def variables_read_by_gunicorn_conf():
    reads = list(_environ_reads(ast.parse(GUNICORN_CONF.read_text())))
    unnamed = [line for name, line in reads if name is None]
    assert not unnamed, f"gunicorn.conf.py reads a variable by a computed name, lines {unnamed}"
    return {name for name, _ in reads}


def variables_in_readme_table():
    """The names in the first column of the README's Configuration table."""
    section = README.read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert len(rows) > 2, "the Configuration table is missing"
    names = set()
    for row in rows[2:]:  # after the header and its separator
        first_cell = row.split("|")[1]
        names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def test_every_variable_read_is_in_the_readme_and_every_one_there_is_read():
    read = variables_read_by_settings() | variables_read_by_gunicorn_conf()
    documented = variables_in_readme_table()
    missing = sorted(read - documented)
    assert not missing, f"read but not in the README's Configuration table: {missing}"
    unread = sorted(documented - read)
    assert not unread, f"in the README's Configuration table but never read: {unread}"


def test_values_are_read_as_an_owner_writes_them():
    """Spaces in lists, a "$" in a password and an empty switch mean what they say."""
    seen = settings_seen(
        site_env(
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=PRODUCTION_SECRET,
            DJANGO_ALLOWED_HOSTS=" www.example.com , example.com,,",
            EMAIL_HOST_PASSWORD="$ecret-start",
            DJANGO_SECURE_HSTS_PRELOAD="",
            DJANGO_SECURE_SSL_REDIRECT="Off",
            EMAIL_USE_TLS=" YES ",
            COMMENTS_AUTO_APPROVE_KNOWN_EMAILS="2",
            AFFILIATE_CHECK_TIMEOUT="2.5",
        ),
        [
            "DEBUG",
            "ALLOWED_HOSTS",
            "EMAIL_HOST_PASSWORD",
            "SECURE_HSTS_PRELOAD",
            "SECURE_SSL_REDIRECT",
            "EMAIL_USE_TLS",
            "COMMENTS_AUTO_APPROVE_KNOWN_EMAILS",
            "AFFILIATE_CHECK_TIMEOUT",
        ],
    )
    assert seen == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["www.example.com", "example.com"],
        "EMAIL_HOST_PASSWORD": "$ecret-start",
        "SECURE_HSTS_PRELOAD": True,  # empty: the production default
        "SECURE_SSL_REDIRECT": False,
        "EMAIL_USE_TLS": True,
        "COMMENTS_AUTO_APPROVE_KNOWN_EMAILS": False,  # only 1/true/yes/on are true
        "AFFILIATE_CHECK_TIMEOUT": 2.5,
    }


def test_an_empty_debug_switch_keeps_development_mode():
    seen = settings_seen(site_env(DJANGO_DEBUG=""), ["DEBUG", "ALLOWED_HOSTS"])
    assert seen == {"DEBUG": True, "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"]}

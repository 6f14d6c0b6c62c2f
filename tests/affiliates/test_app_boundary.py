"""The affiliates app stands below articles and comments: they use it, and it
imports nothing of theirs (the articles it links to are reached through its
own foreign keys to "articles.Article")."""

import ast
from pathlib import Path

import affiliates

ABOVE = {"articles", "comments", "injurysite"}
# The page cache sits below every app; it still lives inside injurysite.
BELOW = {"injurysite.pagecache"}


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_the_affiliates_app_imports_nothing_from_the_apps_that_use_it():
    root = Path(affiliates.__file__).parent
    offending = {
        f"{path.relative_to(root)}: {module}"
        for path in root.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in ABOVE and module not in BELOW
    }
    assert offending == set()

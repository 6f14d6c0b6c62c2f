"""A query the ORM compiles once and runs again with another value.

Building a queryset with select_related() and annotations and compiling it
to SQL costs more CPU than running it: for the article page (three joined
tables, the comment count, the taxonomy lists and the references flag) the
ORM spent about 3.5 ms of a 4.5 ms lookup on the queryset and its SQL, on
every request. The statement is the same each time but for the slug, so a
PreparedGet builds and compiles it once per thread and database connection
and then only swaps the value in, runs it, and turns the row into a model
instance exactly as QuerySet iteration does (the same converters, the same
select_related populators, the same annotations as attributes).

It leans on the compiler's documented-by-code state in Django 5.2
(select, klass_info, annotation_col_map after as_sql()); the test
tests/test_prepared.py compares every field, related object and annotation
with what the plain queryset returns, so an upgrade that changes them fails
there first.
"""

import threading

from django.db import connections, router
from django.db.models.query import get_related_populators

# Stands for the value while the statement is compiled; it must appear
# exactly once among the compiled parameters.
SLOT = "prepared-get-slot-7c1d9e2a"


class PreparedGet:
    """`build(value)` returns the queryset of the rows matching `value`
    (a string compared as it is, such as a slug); get(value) returns the one
    such object or None. Nothing is cached but the compiled statement: every
    call runs the query."""

    def __init__(self, model, build):
        self.model, self.build = model, build
        self._local = threading.local()

    def _compiled(self, using):
        connection = connections[using]
        compiled = getattr(self._local, using, None)
        if compiled is None or compiled["connection"] is not connection:
            compiler = self.build(SLOT)[:2].query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            slots = [index for index, param in enumerate(params) if param == SLOT]
            if len(slots) != 1:
                raise ValueError(f"the value must appear once in the query, not {len(slots)} times")
            start, *_, end = compiler.klass_info["select_fields"]
            compiled = {
                "connection": connection,
                "compiler": compiler,
                "sql": sql,
                "params": list(params),
                "slot": slots[0],
                "fields": (start, end + 1),
                "init_list": [
                    column[0].target.attname for column in compiler.select[start : end + 1]
                ],
                "populators": get_related_populators(compiler.klass_info, compiler.select, using),
                # What results_iter() works out on every call: each column's
                # converters (JSON, dates, booleans on SQLite), once.
                "converters": compiler.get_converters(
                    [column[0] for column in compiler.select[: compiler.col_count]]
                ),
            }
            setattr(self._local, using, compiled)
        return compiled

    def get(self, value, *, using=None):
        using = using or router.db_for_read(self.model)
        compiled = self._compiled(using)
        compiler = compiled["compiler"]
        params = list(compiled["params"])
        params[compiled["slot"]] = value
        with compiled["connection"].cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        if len(rows) != 1:
            return None
        converters = compiled["converters"]
        (row,) = compiler.apply_converters(rows, converters) if converters else rows
        start, end = compiled["fields"]
        instance = self.model.from_db(using, compiled["init_list"], row[start:end])
        for populator in compiled["populators"]:
            populator.populate(row, instance)
        for name, position in compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        return instance

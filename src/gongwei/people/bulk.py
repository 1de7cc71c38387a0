"""Inserting many rows fast, for the demo generators.

``bulk_create`` builds a model object per row and, on SQLite, splits into statements of a few
dozen rows; at 500,000 residents and millions of service records that is minutes. Here rows are
plain tuples in column order: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.
"""

from django.db import connection

BATCH = 5_000


class TupleTable:
    """Rows of ``model`` as tuples: the attributes we set, then defaults for any other column."""

    def __init__(self, model, known: tuple[str, ...]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [name for name in known if name not in fields]
        if missing:
            raise RuntimeError(f"{model.__name__} has no columns {missing}")
        others = [f for name, f in fields.items() if name not in known]
        self.model = model
        self.columns = [fields[name].column for name in known] + [f.column for f in others]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        self.known = known

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.defaults:
            rows = [row + self.defaults for row in rows]
        qn = connection.ops.quote_name
        table, columns = qn(self.model._meta.db_table), ", ".join(qn(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start:start + BATCH])

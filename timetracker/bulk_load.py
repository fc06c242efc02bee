"""Writing many rows fast: PostgreSQL ``COPY`` (psycopg 3) where available, batched INSERTs elsewhere.

Used by ``manage.py seed_demo``. Rows are tuples in the order of the given attribute names; values are
prepared by each field's ``get_db_prep_save`` on the batched path (as the ORM would), while COPY adapts
Python values itself. Not ``bulk_create``: it would overwrite explicit ``created_at`` values with "now"
(``auto_now_add``), and the demo data is dated over five years.
"""

import contextlib
import sys
import time

from django.db import connection

BATCH_SIZE = 2_000
# Above this many rows, loading into a table without its secondary indexes and foreign keys and building
# them afterwards is several times faster than maintaining them row by row.
DEFER_INDEXES_ABOVE = 50_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (CI logs)."""

    def __init__(self, label: str, total: int | None, stream=None, enabled=True):
        self.label, self.total, self.stream, self.enabled = label, total, stream or sys.stderr, enabled
        self.count, self.started, self.last_drawn, self.last_tenth = 0, time.monotonic(), 0.0, -1
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, count: int = 1):
        self.count += count
        if not self.enabled:
            return
        if self.tty:
            now = time.monotonic()
            if now - self.last_drawn >= 0.1:
                self.last_drawn = now
                self._draw(end="\r")
        elif self.total:
            tenth = self.count * 10 // self.total
            if tenth != self.last_tenth and tenth < 10:
                self.last_tenth = tenth
                self._draw(end="\n")

    def done(self):
        if self.enabled:
            self._draw(end="\n")

    def _draw(self, end):
        elapsed = time.monotonic() - self.started
        if self.total:
            share = min(1.0, self.count / self.total)
            bar = "#" * int(share * 30)
            text = f"{self.label:<22} [{bar:<30}] {share:4.0%} {self.count:>11,}/{self.total:,} {elapsed:6.1f} s"
        else:
            text = f"{self.label:<22} {self.count:>11,} {elapsed:6.1f} s"
        self.stream.write((text.ljust(100) if self.tty else text.rstrip()) + end)
        self.stream.flush()


class Writer:
    """Inserts rows into a model's table; ``progress`` makes a Progress for a label and a total."""

    def __init__(self, progress=None):
        self.progress = progress or (lambda label, total: Progress(label, total, enabled=False))

    def insert(self, model, fields: list[str], rows, *, total: int | None = None, label: str = "") -> int:
        bar = self.progress(label or model._meta.verbose_name_plural, total)
        columns = [model._meta.get_field(name).column for name in fields]
        table = model._meta.db_table
        if is_postgresql():
            count = self._copy(table, columns, rows, bar)
        else:
            count = self._batched(model, table, fields, columns, rows, bar)
        bar.done()
        return count

    def _copy(self, table, columns, rows, bar) -> int:
        quote = connection.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if not count % 1000:
                    bar.advance(1000)
        bar.advance(count % 1000)
        return count

    def _batched(self, model, table, fields, columns, rows, bar) -> int:
        model_fields = [model._meta.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        count, batch = 0, []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append([f.get_db_prep_save(value, connection) for f, value in zip(model_fields, row)])
                if len(batch) >= BATCH_SIZE:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    bar.advance(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
                bar.advance(len(batch))
        return count


def reset_sequences(models) -> None:
    """After inserting explicit ids: let the database's next id follow the largest one (PostgreSQL)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def check_deferred_constraints():
    """Check the deferred foreign keys of the rows written so far in this transaction now (PostgreSQL): a
    table with pending checks can be neither altered nor truncated."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def indexes_deferred(models, *, progress=None):
    """On PostgreSQL, inside a transaction: drop the tables' secondary indexes and foreign keys, and create
    them again, with their original definitions, when the block ends. Elsewhere it does nothing.

    Primary keys and unique constraints stay. Building an index once over all the rows (sorted, in
    parallel) and validating a foreign key with one join is much faster than maintaining them row by row.
    """
    if not is_postgresql():
        yield
        return
    tables = [model._meta.db_table for model in models]
    saved_indexes, saved_keys = [], []
    check_deferred_constraints()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                """
                SELECT index_class.relname, pg_get_indexdef(ix.indexrelid)
                FROM pg_index ix JOIN pg_class index_class ON index_class.oid = ix.indexrelid
                WHERE ix.indrelid = %s::regclass AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid AND c.contype IN ('p', 'u', 'x')
                )
                ORDER BY index_class.relname
                """,
                [table],
            )
            saved_indexes += cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            saved_keys += [(table, name, definition) for name, definition in cursor.fetchall()]
        quote = connection.ops.quote_name
        for table, name, _ in saved_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in saved_indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    if not saved_indexes and not saved_keys:
        return
    bar = (progress or (lambda label, total: Progress(label, total, enabled=False)))(
        "indexes, foreign keys", len(saved_indexes) + len(saved_keys)
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in saved_indexes:
            cursor.execute(definition)
            bar.advance()
        for table, name, definition in saved_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            bar.advance()
    bar.done()

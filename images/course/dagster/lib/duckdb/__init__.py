"""Course stand-in for the `duckdb` Python package (NOT the real DuckDB).

It keeps the API the course's examples use, duckdb.connect(path).execute(sql, params) with
fetchall()/fetchone(), .sql(...).show() and close(), on top of Python's sqlite3. The database
file is therefore an SQLite file, not DuckDB's format; simple SQL (CREATE TABLE, INSERT,
SELECT with GROUP BY/ORDER BY, now()) behaves the same.
"""

import datetime
import os
import sqlite3

__version__ = "1.1.3+standin"

__all__ = ["connect", "DuckDBPyConnection", "Error"]

Error = sqlite3.Error


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class DuckDBPyRelation:
    def __init__(self, cursor):
        self._cursor = cursor
        self.columns = [d[0] for d in cursor.description or []]
        self._rows = None

    def fetchall(self):
        if self._rows is None:
            self._rows = self._cursor.fetchall()
        return self._rows

    def fetchone(self):
        rows = self.fetchall()
        return rows[0] if rows else None

    def show(self):
        print(render(self.columns, self.fetchall()))

    def __repr__(self):
        return render(self.columns, self.fetchall())


class DuckDBPyConnection:
    def __init__(self, database=":memory:", read_only=False):
        if database not in (":memory:", "") and not read_only:
            folder = os.path.dirname(os.path.abspath(database))
            os.makedirs(folder, exist_ok=True)
        if read_only and database not in (":memory:", ""):
            if not os.path.exists(database):
                raise IOError(f'IO Error: Cannot open database "{database}" in read-only mode: database does not exist')
            self._conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=15)
        else:
            self._conn = sqlite3.connect(database or ":memory:", timeout=15)
        self._conn.isolation_level = None
        self._conn.create_function("now", 0, _now)
        self._last = None

    def execute(self, query, parameters=None):
        cur = self._conn.cursor()
        cur.execute(query, parameters or ())
        self._last = cur
        return self

    def sql(self, query):
        cur = self._conn.cursor()
        cur.execute(query)
        return DuckDBPyRelation(cur)

    def executemany(self, query, parameters):
        self._conn.executemany(query, parameters)
        return self

    def fetchall(self):
        return self._last.fetchall() if self._last else []

    def fetchone(self):
        return self._last.fetchone() if self._last else None

    @property
    def description(self):
        return self._last.description if self._last else None

    def close(self):
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(database=":memory:", read_only=False, config=None):
    return DuckDBPyConnection(database, read_only=read_only)


def render(columns, rows):
    """A box table like DuckDB's shell prints."""
    if not columns:
        return ""
    cells = [[("NULL" if v is None else str(v)) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda l, m, r: l + m.join("─" * (w + 2) for w in widths) + r  # noqa: E731
    out = [line("┌", "┬", "┐"),
           "│" + "│".join(f" {c:<{w}} " for c, w in zip(columns, widths)) + "│",
           line("├", "┼", "┤")]
    for r in cells:
        out.append("│" + "│".join(f" {v:>{w}} " if v.replace(".", "", 1).lstrip("-").isdigit() else f" {v:<{w}} "
                                  for v, w in zip(r, widths)) + "│")
    out.append(line("└", "┴", "┘"))
    out.append(f"  {len(rows)} row{'s' if len(rows) != 1 else ''}")
    return "\n".join(out)

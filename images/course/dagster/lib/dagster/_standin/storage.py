"""Run, event-log, schedule and daemon-heartbeat storage, in PostgreSQL or SQLite.

Table and column names follow Dagster's own schema where they overlap (runs, event_logs,
daemon_heartbeats, job_ticks), so `SELECT run_id, pipeline_name, status FROM runs` works
like it does against a real Dagster database.
"""

import datetime
import json
import os
import sqlite3
import threading
import time
import uuid

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR(255) PRIMARY KEY,
        pipeline_name TEXT NOT NULL,
        status VARCHAR(63) NOT NULL,
        run_body TEXT,
        create_timestamp TIMESTAMP NOT NULL,
        update_timestamp TIMESTAMP NOT NULL,
        start_time DOUBLE PRECISION,
        end_time DOUBLE PRECISION
    )""",
    """CREATE TABLE IF NOT EXISTS event_logs (
        id {serial} PRIMARY KEY,
        run_id VARCHAR(255),
        event TEXT NOT NULL,
        dagster_event_type TEXT,
        timestamp TIMESTAMP NOT NULL,
        step_key TEXT,
        asset_key TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS idx_event_logs_run ON event_logs (run_id)",
    "CREATE INDEX IF NOT EXISTS idx_event_logs_asset ON event_logs (asset_key)",
    """CREATE TABLE IF NOT EXISTS daemon_heartbeats (
        daemon_type VARCHAR(255) PRIMARY KEY,
        daemon_id VARCHAR(255),
        timestamp TIMESTAMP NOT NULL,
        body TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS job_ticks (
        id {serial} PRIMARY KEY,
        job_origin_id VARCHAR(255),
        selector_id VARCHAR(255),
        status VARCHAR(63),
        type VARCHAR(63),
        timestamp DOUBLE PRECISION,
        tick_body TEXT,
        UNIQUE (selector_id, timestamp)
    )""",
]


class StorageError(Exception):
    pass


def utcnow_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def to_epoch(value):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime.datetime):
        dt = value
    else:
        text = str(value)
        fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in text else "%Y-%m-%d %H:%M:%S"
        dt = datetime.datetime.strptime(text, fmt)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def new_run_id():
    return str(uuid.uuid4())


class _Base:
    kind = "?"
    placeholder = "%s"

    def __init__(self):
        self._lock = threading.RLock()

    # -- plumbing -------------------------------------------------------------------------
    def _sql(self, sql):
        return sql if self.placeholder == "%s" else sql.replace("%s", "?")

    def execute(self, sql, params=(), fetch=None):
        with self._lock:
            return self._execute(self._sql(sql), params, fetch)

    def _rows(self, sql, params=()):
        return self.execute(sql, params, fetch="all")

    # -- runs -----------------------------------------------------------------------------
    def create_run(self, job_name, status, body):
        run_id = body.get("run_id") or new_run_id()
        body = dict(body, run_id=run_id, job_name=job_name)
        now = utcnow_text()
        self.execute(
            "INSERT INTO runs (run_id, pipeline_name, status, run_body, create_timestamp, "
            "update_timestamp) VALUES (%s, %s, %s, %s, %s, %s)",
            (run_id, job_name, status, json.dumps(body), now, now),
        )
        return run_id

    def set_run_status(self, run_id, status, expect=None, start=False, end=False):
        sets = ["status = %s", "update_timestamp = %s"]
        params = [status, utcnow_text()]
        if start:
            sets.append("start_time = %s")
            params.append(time.time())
        if end:
            sets.append("end_time = %s")
            params.append(time.time())
        sql = f"UPDATE runs SET {', '.join(sets)} WHERE run_id = %s"
        params.append(run_id)
        if expect:
            sql += " AND status = %s"
            params.append(expect)
        return self.execute(sql, tuple(params), fetch="rowcount") == 1

    def _run_row(self, row):
        run_id, job, status, body, created, updated, start, end = row
        try:
            body = json.loads(body or "{}")
        except ValueError:
            body = {}
        return {
            "run_id": run_id,
            "job_name": job,
            "status": status,
            "body": body,
            "created": to_epoch(created),
            "updated": to_epoch(updated),
            "start_time": start,
            "end_time": end,
        }

    _RUN_COLS = ("run_id, pipeline_name, status, run_body, create_timestamp, update_timestamp, "
                 "start_time, end_time")

    def get_run(self, run_id):
        rows = self._rows(f"SELECT {self._RUN_COLS} FROM runs WHERE run_id = %s", (run_id,))
        return self._run_row(rows[0]) if rows else None

    def list_runs(self, limit=25, status=None):
        if status:
            rows = self._rows(
                f"SELECT {self._RUN_COLS} FROM runs WHERE status = %s "
                "ORDER BY create_timestamp ASC LIMIT %s",
                (status, limit),
            )
        else:
            rows = self._rows(
                f"SELECT {self._RUN_COLS} FROM runs ORDER BY create_timestamp DESC LIMIT %s",
                (limit,),
            )
        return [self._run_row(r) for r in rows]

    def count_runs(self, statuses):
        marks = ", ".join(["%s"] * len(statuses))
        return self._rows(f"SELECT COUNT(*) FROM runs WHERE status IN ({marks})", tuple(statuses))[0][0]

    # -- events ---------------------------------------------------------------------------
    def add_event(self, run_id, event_type, message, step_key=None, asset_key=None, extra=None):
        event = {"message": message, "event_type": event_type, "step_key": step_key,
                 "asset_key": asset_key, "timestamp": time.time()}
        if extra:
            event.update(extra)
        self.execute(
            "INSERT INTO event_logs (run_id, event, dagster_event_type, timestamp, step_key, "
            "asset_key) VALUES (%s, %s, %s, %s, %s, %s)",
            (run_id, json.dumps(event, default=str), event_type, utcnow_text(), step_key, asset_key),
        )

    def events_for_run(self, run_id):
        rows = self._rows(
            "SELECT event, dagster_event_type, timestamp, step_key FROM event_logs "
            "WHERE run_id = %s ORDER BY id",
            (run_id,),
        )
        out = []
        for event, etype, ts, step in rows:
            try:
                data = json.loads(event)
            except ValueError:
                data = {"message": event}
            out.append({"type": etype, "timestamp": to_epoch(ts), "step_key": step,
                        "message": data.get("message", ""), "level": data.get("level"),
                        "metadata": data.get("metadata")})
        return out

    def last_materializations(self):
        rows = self._rows(
            "SELECT asset_key, MAX(timestamp) FROM event_logs "
            "WHERE dagster_event_type = 'ASSET_MATERIALIZATION' GROUP BY asset_key"
        )
        result = {}
        for key, ts in rows:
            run = self._rows(
                "SELECT run_id FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION' "
                "AND asset_key = %s ORDER BY id DESC LIMIT 1",
                (key,),
            )
            result[key] = {"timestamp": to_epoch(ts), "run_id": run[0][0] if run else None}
        return result

    # -- daemon ---------------------------------------------------------------------------
    def write_heartbeat(self, daemon_type, daemon_id, body):
        now = utcnow_text()
        payload = json.dumps(body)
        updated = self.execute(
            "UPDATE daemon_heartbeats SET daemon_id = %s, timestamp = %s, body = %s "
            "WHERE daemon_type = %s",
            (daemon_id, now, payload, daemon_type),
            fetch="rowcount",
        )
        if not updated:
            self.execute(
                "INSERT INTO daemon_heartbeats (daemon_type, daemon_id, timestamp, body) "
                "VALUES (%s, %s, %s, %s)",
                (daemon_type, daemon_id, now, payload),
            )

    def heartbeats(self):
        rows = self._rows("SELECT daemon_type, daemon_id, timestamp, body FROM daemon_heartbeats")
        return [{"daemon_type": t, "daemon_id": i, "timestamp": to_epoch(ts),
                 "body": json.loads(b or "{}")} for t, i, ts, b in rows]

    # -- schedules ------------------------------------------------------------------------
    def record_tick(self, selector_id, origin_id, timestamp, status, body):
        try:
            self.execute(
                "INSERT INTO job_ticks (job_origin_id, selector_id, status, type, timestamp, "
                "tick_body) VALUES (%s, %s, %s, 'SCHEDULE', %s, %s)",
                (origin_id, selector_id, status, timestamp, json.dumps(body)),
            )
            return True
        except Exception as e:  # the unique key: another daemon already took this tick
            if "unique" in str(e).lower() or "duplicate" in str(e).lower():
                self._recover()
                return False
            raise

    def last_tick(self, selector_id):
        rows = self._rows(
            "SELECT timestamp, status FROM job_ticks WHERE selector_id = %s "
            "ORDER BY timestamp DESC LIMIT 1",
            (selector_id,),
        )
        return {"timestamp": rows[0][0], "status": rows[0][1]} if rows else None

    def _recover(self):
        pass


class SqliteStorage(_Base):
    kind = "sqlite"
    placeholder = "?"

    def __init__(self, base_dir):
        super().__init__()
        self.base_dir = base_dir
        try:
            os.makedirs(base_dir, exist_ok=True)
        except OSError as e:
            raise StorageError(f"Could not create the SQLite storage folder {base_dir}: {e}") from e
        self.path = os.path.join(base_dir, "runs.db")
        try:
            self._conn = sqlite3.connect(self.path, timeout=15, isolation_level=None,
                                         check_same_thread=False)
            for stmt in SCHEMA:
                self._conn.execute(stmt.replace("{serial}", "INTEGER"))
        except sqlite3.Error as e:
            raise StorageError(f"sqlite3.OperationalError: {e} ({self.path})") from e

    def describe(self):
        return f"SQLite {self.path}"

    def _execute(self, sql, params, fetch):
        try:
            cur = self._conn.execute(sql, params)
        except sqlite3.Error as e:
            raise StorageError(f"sqlite3.{type(e).__name__}: {e}") from e
        if fetch == "all":
            return cur.fetchall()
        if fetch == "rowcount":
            return cur.rowcount
        return None

    def close(self):
        self._conn.close()


class PostgresStorage(_Base):
    kind = "postgres"

    def __init__(self, params, log=None, retries=5):
        super().__init__()
        import psycopg2  # noqa: F401 (fail early if missing)

        self.params = params
        self.log = log
        self._conn = None
        self._connect(retries)
        with self._lock:
            cur = self._conn.cursor()
            # Two processes starting at once must not both create the tables.
            cur.execute("SELECT pg_advisory_lock(4242)")
            try:
                for stmt in SCHEMA:
                    cur.execute(stmt.replace("{serial}", "SERIAL"))
            finally:
                cur.execute("SELECT pg_advisory_unlock(4242)")

    def describe(self):
        p = self.params
        if "dsn" in p:
            return "PostgreSQL (postgres_url)"
        return f"PostgreSQL {p['user']}@{p['host']}:{p['port']}/{p['dbname']}"

    def _connect(self, retries):
        import psycopg2

        # Like dagster-postgres: a few quick retries (0.2 s apart), then give up loudly.
        wait = 0.2
        attempt = 0
        while True:
            try:
                if "dsn" in self.params:
                    conn = psycopg2.connect(self.params["dsn"], connect_timeout=5)
                else:
                    conn = psycopg2.connect(connect_timeout=5, **self.params)
                conn.autocommit = True
                self._conn = conn
                return
            except psycopg2.OperationalError as e:
                attempt += 1
                if attempt > retries:
                    raise StorageError(
                        "psycopg2.OperationalError: " + str(e).strip() +
                        f"\n(dagster_postgres: too many retries for DB connection to "
                        f"{self.describe()})"
                    ) from e
                if self.log:
                    self.log.warning(
                        "Retrying failed database connection: %s", str(e).strip().splitlines()[0]
                    )
                time.sleep(wait)

    def _execute(self, sql, params, fetch):
        import psycopg2

        for attempt in (1, 2):
            try:
                if self._conn is None or self._conn.closed:
                    self._connect(2)
                cur = self._conn.cursor()
                cur.execute(sql, params)
                if fetch == "all":
                    return cur.fetchall()
                if fetch == "rowcount":
                    return cur.rowcount
                return None
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
                self._conn = None
                if attempt == 2:
                    raise StorageError(f"psycopg2.{type(e).__name__}: {str(e).strip()}") from e
            except psycopg2.Error as e:
                raise StorageError(f"psycopg2.{type(e).__name__}: {str(e).strip()}") from e

    def close(self):
        if self._conn is not None:
            self._conn.close()

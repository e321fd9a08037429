"""The Dagster *instance*: $DAGSTER_HOME/dagster.yaml says where state lives.

Understood keys (the rest is accepted and ignored):
  storage: {postgres: {postgres_db: {...}} | {postgres_url: ...}} or {sqlite: {base_dir: ...}}
  run_storage / event_log_storage / schedule_storage: the older per-store form (config.postgres_db)
  run_coordinator: {module: ..., class: QueuedRunCoordinator, config: {max_concurrent_runs: N}}
  run_launcher: accepted (runs always go to the code location's process)
  compute_logs: {config: {base_dir: ...}}
  local_artifact_storage: {config: {base_dir: ...}}
Values may be {env: VAR}, read from this process's environment, like Dagster.
"""

import copy
import os
import tempfile

import yaml


class InstanceError(Exception):
    """A configuration problem, reported to the user as is."""


def resolve_env(value, path):
    if isinstance(value, dict) and set(value) == {"env"}:
        name = value["env"]
        if name not in os.environ:
            raise InstanceError(
                "DagsterInvalidConfigError: Errors whilst loading dagster instance config at "
                "dagster.yaml.\n    Error 1: Post processing at path "
                f"root:{':'.join(path)} of original value {{'env': '{name}'}} failed:\n"
                f'You have attempted to fetch the environment variable "{name}" which is not '
                "set. In order for this execution to succeed it must be set in this environment."
            )
        return os.environ[name]
    if isinstance(value, dict):
        return {k: resolve_env(v, path + [str(k)]) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env(v, path + [str(i)]) for i, v in enumerate(value)]
    return value


def dagster_home(required_by=None):
    """$DAGSTER_HOME, checked like Dagster checks it. None when unset and not required."""
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        if required_by:
            raise InstanceError(
                f"DagsterHomeNotSetError: The {required_by} requires a persistent instance: "
                "set the DAGSTER_HOME environment variable to a directory that holds "
                "dagster.yaml (and that every Dagster process of the deployment shares)."
            )
        return None
    if not os.path.isabs(home):
        raise InstanceError(f'$DAGSTER_HOME "{home}" must be an absolute path.')
    if not os.path.isdir(home):
        raise InstanceError(
            f'$DAGSTER_HOME "{home}" is not a directory or does not exist. Dagster requires '
            "this environment variable to be set to an existing directory in your filesystem."
        )
    return home


def read_config_text(home):
    path = os.path.join(home, "dagster.yaml")
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


class Instance:
    """Parsed instance settings. `raw` is the unresolved YAML document, passed to code
    servers with each run so they resolve {env: ...} in *their* environment, like Dagster's
    InstanceRef."""

    def __init__(self, home, text, ephemeral=False):
        self.home = home
        self.ephemeral = ephemeral
        try:
            raw = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as e:
            raise InstanceError(f"Could not parse {home}/dagster.yaml: {e}") from e
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise InstanceError(f"{home}/dagster.yaml must be a mapping of settings.")
        self.text = text
        self.raw = copy.deepcopy(raw)
        self._parse(raw)

    @classmethod
    def from_home(cls, required_by=None):
        home = dagster_home(required_by)
        if home is None:
            tmp = tempfile.mkdtemp(prefix="dagster-ephemeral-")
            return cls(tmp, "", ephemeral=True)
        return cls(home, read_config_text(home))

    @classmethod
    def from_ref(cls, ref):
        return cls(ref["home"], ref.get("text", ""))

    def ref(self):
        return {"home": self.home, "text": self.text}

    def _parse(self, raw):
        self.storage_kind = "sqlite"
        self.pg = None
        self.sqlite_dir = os.path.join(self.home, "history")
        storage = raw.get("storage")
        pg_section = None
        if isinstance(storage, dict) and storage:
            if "postgres" in storage:
                pg_section = storage["postgres"] or {}
                path = ["storage", "postgres"]
            elif "sqlite" in storage:
                cfg = resolve_env(storage["sqlite"] or {}, ["storage", "sqlite"])
                if cfg.get("base_dir"):
                    self.sqlite_dir = cfg["base_dir"]
            else:
                raise InstanceError(
                    "dagster.yaml: storage must have a postgres: or a sqlite: section, "
                    f"found {', '.join(storage)}."
                )
        else:
            run_storage = raw.get("run_storage") or {}
            cls_name = str(run_storage.get("class", ""))
            if "Postgres" in cls_name:
                pg_section = run_storage.get("config") or {}
                path = ["run_storage", "config"]
            elif "Sqlite" in cls_name:
                cfg = resolve_env(run_storage.get("config") or {}, ["run_storage", "config"])
                if cfg.get("base_dir"):
                    self.sqlite_dir = cfg["base_dir"]
        if pg_section is not None:
            cfg = resolve_env(pg_section, path)
            self.storage_kind = "postgres"
            if cfg.get("postgres_url"):
                self.pg = {"dsn": cfg["postgres_url"]}
            else:
                db = cfg.get("postgres_db")
                if not isinstance(db, dict):
                    raise InstanceError(
                        "dagster.yaml: the postgres storage needs postgres_db: (username, "
                        "password, hostname, db_name, port) or postgres_url:."
                    )
                missing = [k for k in ("username", "password", "hostname", "db_name") if not db.get(k)]
                if missing:
                    raise InstanceError(
                        f"dagster.yaml: postgres_db is missing {', '.join(missing)}."
                    )
                self.pg = {
                    "host": str(db["hostname"]),
                    "port": int(db.get("port") or 5432),
                    "user": str(db["username"]),
                    "password": str(db["password"]),
                    "dbname": str(db["db_name"]),
                }
                params = db.get("params") or {}
                self.pg.update({str(k): str(v) for k, v in params.items()})

        artifacts = (raw.get("local_artifact_storage") or {}).get("config") or {}
        artifacts = resolve_env(artifacts, ["local_artifact_storage", "config"])
        self.artifact_dir = artifacts.get("base_dir") or self.home
        logs = (raw.get("compute_logs") or {}).get("config") or {}
        logs = resolve_env(logs, ["compute_logs", "config"])
        self.compute_logs_dir = logs.get("base_dir") or os.path.join(self.artifact_dir, "storage")

        coordinator = raw.get("run_coordinator") or {}
        self.queued = "Queued" in str(coordinator.get("class", ""))
        ccfg = resolve_env(coordinator.get("config") or {}, ["run_coordinator", "config"])
        self.max_concurrent_runs = int(ccfg.get("max_concurrent_runs") or 10)

    def describe_storage(self):
        if self.storage_kind == "postgres":
            if "dsn" in self.pg:
                return "PostgreSQL (postgres_url)"
            return f"PostgreSQL {self.pg['user']}@{self.pg['host']}:{self.pg['port']}/{self.pg['dbname']}"
        return f"SQLite files in {self.sqlite_dir}"

    def storage(self, log=None, retries=5):
        from . import storage

        if self.storage_kind == "postgres":
            return storage.PostgresStorage(self.pg, log=log, retries=retries)
        return storage.SqliteStorage(self.sqlite_dir)

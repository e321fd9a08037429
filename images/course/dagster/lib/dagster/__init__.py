"""Course stand-in for the `dagster` package (NOT the real Dagster).

It implements the handful of public names the course's example projects use: @asset,
Definitions, define_asset_job, ScheduleDefinition, AssetSelection, MaterializeResult,
get_dagster_logger and load_assets_from_modules. Definitions are recorded as plain data;
assets are ordinary Python functions that the stand-in runs in dependency order, passing
each upstream asset's return value in by parameter name, like Dagster's default I/O manager.
The processes (dagster-webserver, dagster-daemon, dagster api grpc) live in dagster._standin.
"""

import enum
import inspect
import logging

__version__ = "1.9.0+standin"

__all__ = [
    "AssetExecutionContext",
    "AssetKey",
    "AssetSelection",
    "AssetsDefinition",
    "DefaultScheduleStatus",
    "Definitions",
    "MaterializeResult",
    "OpExecutionContext",
    "Output",
    "ScheduleDefinition",
    "asset",
    "define_asset_job",
    "get_dagster_logger",
    "load_assets_from_modules",
]


class AssetKey(str):
    """An asset's name. The stand-in only supports single-part keys."""

    def __new__(cls, key):
        if isinstance(key, (list, tuple)):
            key = "/".join(key)
        return super().__new__(cls, key)

    def to_user_string(self):
        return str(self)


def _key_of(dep):
    if isinstance(dep, AssetsDefinition):
        return dep.key
    return AssetKey(dep)


class AssetsDefinition:
    def __init__(self, fn, name=None, deps=None, group_name=None, description=None,
                 compute_kind=None, metadata=None, key_prefix=None):
        self.fn = fn
        key = name or fn.__name__
        if key_prefix:
            prefix = [key_prefix] if isinstance(key_prefix, str) else list(key_prefix)
            key = "/".join(prefix + [key])
        self.key = AssetKey(key)
        params = list(inspect.signature(fn).parameters)
        self.wants_context = bool(params) and params[0] in ("context", "ctx")
        self.inputs = [p for p in params if p not in ("context", "ctx")]
        self.deps = [AssetKey(p) for p in self.inputs] + [_key_of(d) for d in (deps or [])]
        self.group_name = group_name or "default"
        self.description = description or (inspect.getdoc(fn) or "").split("\n\n")[0]
        self.compute_kind = compute_kind
        self.metadata = dict(metadata or {})

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self):
        return f"<AssetsDefinition {self.key}>"


def asset(fn=None, *, name=None, deps=None, group_name=None, description=None,
          compute_kind=None, kinds=None, metadata=None, key_prefix=None, **_ignored):
    """@asset or @asset(...): declares a software-defined asset."""

    def wrap(f):
        kind = compute_kind or (sorted(kinds)[0] if kinds else None)
        return AssetsDefinition(f, name=name, deps=deps, group_name=group_name,
                                description=description, compute_kind=kind,
                                metadata=metadata, key_prefix=key_prefix)

    return wrap(fn) if callable(fn) else wrap


class AssetSelection:
    def __init__(self, keys=None, groups=None):
        self._keys = keys
        self._groups = groups

    @staticmethod
    def all():
        return AssetSelection()

    @staticmethod
    def assets(*assets):
        return AssetSelection(keys=[_key_of(a) for a in assets])

    @staticmethod
    def keys(*keys):
        return AssetSelection(keys=[AssetKey(k) for k in keys])

    @staticmethod
    def groups(*names):
        return AssetSelection(groups=list(names))

    def resolve(self, assets):
        if self._keys is not None:
            return [a.key for a in assets if a.key in self._keys]
        if self._groups is not None:
            return [a.key for a in assets if a.group_name in self._groups]
        return [a.key for a in assets]


class UnresolvedAssetJobDefinition:
    def __init__(self, name, selection=None, description=None, tags=None):
        self.name = name
        if selection is None or selection == "*":
            selection = AssetSelection.all()
        elif isinstance(selection, (list, tuple)):
            selection = AssetSelection(keys=[_key_of(s) for s in selection])
        elif isinstance(selection, str):
            selection = AssetSelection(keys=[AssetKey(selection)])
        self.selection = selection
        self.description = description
        self.tags = dict(tags or {})


def define_asset_job(name, selection=None, description=None, tags=None, **_ignored):
    return UnresolvedAssetJobDefinition(name, selection, description, tags)


class DefaultScheduleStatus(enum.Enum):
    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class ScheduleDefinition:
    def __init__(self, name=None, *, cron_schedule, job=None, job_name=None,
                 default_status=DefaultScheduleStatus.STOPPED, execution_timezone=None,
                 description=None, **_ignored):
        self.job_name = job.name if job is not None else job_name
        if not self.job_name:
            raise ValueError("ScheduleDefinition needs job= or job_name=")
        self.name = name or f"{self.job_name}_schedule"
        self.cron_schedule = cron_schedule
        self.default_status = default_status
        self.execution_timezone = execution_timezone or "UTC"
        self.description = description


class Definitions:
    def __init__(self, assets=None, jobs=None, schedules=None, sensors=None, resources=None,
                 **_ignored):
        self.assets = list(assets or [])
        self.jobs = list(jobs or [])
        self.schedules = list(schedules or [])
        self.sensors = list(sensors or [])
        self.resources = dict(resources or {})
        names = [a.key for a in self.assets]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"Duplicate asset key(s): {', '.join(dupes)}")


class MaterializeResult:
    def __init__(self, *, metadata=None, asset_key=None, **_ignored):
        self.metadata = dict(metadata or {})
        self.asset_key = asset_key


class Output:
    def __init__(self, value, metadata=None, **_ignored):
        self.value = value
        self.metadata = dict(metadata or {})


class AssetExecutionContext:
    """What an asset function gets as `context`."""

    def __init__(self, run_id, asset_key, log, instance_info=None):
        self.run_id = run_id
        self.asset_key = AssetKey(asset_key)
        self.log = log
        self.instance_info = instance_info or {}
        self._metadata = {}

    def add_output_metadata(self, metadata):
        self._metadata.update(metadata)


OpExecutionContext = AssetExecutionContext


def get_dagster_logger(name=None):
    return logging.getLogger("dagster" if not name else f"dagster.{name}")


def load_assets_from_modules(modules, group_name=None, **_ignored):
    found = []
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, AssetsDefinition) and value not in found:
                if group_name:
                    value.group_name = group_name
                found.append(value)
    return found

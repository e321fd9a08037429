"""Code locations: loading user code, and workspace.yaml.

A workspace entry is either a gRPC server someone else runs (`grpc_server: {host, port}`),
reached over the network, or Python code named by `python_file`, `python_module` or
`python_package`. Dagster starts a code-server subprocess for each of those, inside the
webserver's (and the daemon's) container, and talks to it over gRPC; this stand-in imports
the code into its own process instead, which looks the same from the outside.
"""

import importlib
import importlib.util
import os
import sys
import threading
import traceback

import yaml

import dagster

from . import grpc_api


class WorkspaceError(Exception):
    pass


# -- user code ----------------------------------------------------------------------------
def _purge_modules(root):
    """Forget modules imported from `root`, so a reload imports the files as they are now."""
    root = os.path.realpath(root)
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None)
        if not f or f.startswith(("/usr/", os.path.dirname(dagster.__file__))):
            continue
        if os.path.realpath(f).startswith(root + os.sep):
            del sys.modules[name]


def load_definitions(python_file=None, module_name=None, working_directory=None, attribute=None):
    """Imports the user's code and returns its Definitions. Raises with a readable message."""
    wd = os.path.abspath(working_directory or os.getcwd())
    if wd not in sys.path:
        sys.path.insert(0, wd)
    _purge_modules(wd)
    importlib.invalidate_caches()
    if python_file:
        path = python_file if os.path.isabs(python_file) else os.path.join(wd, python_file)
        if not os.path.exists(path):
            raise WorkspaceError(f"FileNotFoundError: No such file: {path}")
        _purge_modules(os.path.dirname(os.path.abspath(path)))
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        where = f'file "{path}"'
    else:
        module = importlib.import_module(module_name)
        where = f'module "{module_name}"'
    if attribute:
        defs = getattr(module, attribute, None)
        if defs is None:
            raise WorkspaceError(f'DagsterInvariantViolationError: no attribute "{attribute}" in {where}.')
    else:
        defs = getattr(module, "defs", None)
        if not isinstance(defs, dagster.Definitions):
            found = [v for v in vars(module).values() if isinstance(v, dagster.Definitions)]
            defs = found[0] if found else None
        if defs is None:
            assets = [v for v in vars(module).values() if isinstance(v, dagster.AssetsDefinition)]
            if not assets:
                raise WorkspaceError(
                    "DagsterInvariantViolationError: No Definitions, jobs or asset definitions "
                    f"found in {where}."
                )
            defs = dagster.Definitions(assets=assets)
    if not isinstance(defs, dagster.Definitions):
        raise WorkspaceError(f"DagsterInvariantViolationError: {attribute} in {where} is not a Definitions object.")
    validate(defs)
    return defs


def validate(defs):
    keys = {a.key for a in defs.assets}
    for a in defs.assets:
        for dep in a.deps:
            if dep not in keys:
                raise WorkspaceError(
                    f'DagsterInvalidDefinitionError: Input asset "{dep}" for asset "{a.key}" is '
                    "not produced by any of the provided asset ops and is not one of the "
                    "provided sources."
                )
    jobs = {j.name for j in defs.jobs}
    for s in defs.schedules:
        if s.job_name not in jobs:
            raise WorkspaceError(
                f'DagsterInvalidDefinitionError: schedule "{s.name}" targets job "{s.job_name}", '
                "which is not among the Definitions' jobs."
            )


def snapshot(defs, location_name):
    assets = [
        {"key": a.key, "deps": list(a.deps), "group": a.group_name,
         "description": a.description, "compute_kind": a.compute_kind}
        for a in defs.assets
    ]
    jobs = [{"name": "__ASSET_JOB", "assets": [a.key for a in defs.assets], "hidden": True}]
    for j in defs.jobs:
        jobs.append({"name": j.name, "assets": j.selection.resolve(defs.assets),
                     "description": j.description, "hidden": False})
    schedules = [
        {"name": s.name, "job": s.job_name, "cron": s.cron_schedule,
         "default_status": s.default_status.value, "timezone": s.execution_timezone}
        for s in defs.schedules
    ]
    sensors = [{"name": getattr(s, "name", str(s))} for s in defs.sensors]
    return {"location_name": location_name, "assets": assets, "jobs": jobs,
            "schedules": schedules, "sensors": sensors}


def job_assets(snap, job_name):
    for j in snap["jobs"]:
        if j["name"] == job_name:
            return j["assets"]
    return None


# -- locations ----------------------------------------------------------------------------
class Location:
    kind = "?"

    def __init__(self, name):
        self.name = name
        self.snapshot = None
        self.error = None
        self.lock = threading.RLock()

    @property
    def loaded(self):
        return self.snapshot is not None and self.error is None

    def describe(self):
        raise NotImplementedError


class GrpcLocation(Location):
    kind = "grpc_server"

    def __init__(self, name, host, port):
        super().__init__(name)
        self.host = host
        self.port = int(port)
        self.server_id = None
        self.client = grpc_api.Client(host, port)

    def describe(self):
        return f"gRPC server {self.host}:{self.port}"

    def reload(self):
        with self.lock:
            try:
                self.server_id = self.client.server_id()
                reply = self.client.list_repositories()
                if reply.get("error"):
                    self.snapshot, self.error = None, reply["error"]
                else:
                    self.snapshot, self.error = reply["snapshot"], None
            except grpc_api.UserCodeUnreachable as e:
                self.snapshot, self.error, self.server_id = None, str(e), None
        return self.loaded

    def changed(self):
        """True when the server restarted (new id) or came back since the last load."""
        try:
            sid = self.client.server_id()
        except grpc_api.UserCodeUnreachable as e:
            if self.server_id is not None or self.error is None:
                with self.lock:
                    self.snapshot, self.error, self.server_id = None, str(e), None
            return False
        return sid != self.server_id

    def start_run(self, request):
        try:
            return self.client.start_run(request)
        except grpc_api.UserCodeUnreachable as e:
            return {"success": False, "message": str(e)}


class InProcessLocation(Location):
    """Code imported into this very process (Anomstack's 'direct Python module loading')."""

    kind = "in_process"

    def __init__(self, name, python_file=None, module_name=None, working_directory=None,
                 attribute=None):
        super().__init__(name)
        self.python_file = python_file
        self.module_name = module_name
        self.working_directory = working_directory
        self.attribute = attribute
        self.defs = None

    def describe(self):
        target = f"file {self.python_file}" if self.python_file else f"module {self.module_name}"
        return f"{target} (loaded in-process)"

    def reload(self):
        with self.lock:
            try:
                self.defs = load_definitions(self.python_file, self.module_name,
                                             self.working_directory, self.attribute)
                self.snapshot, self.error = snapshot(self.defs, self.name), None
            except Exception as e:  # noqa: BLE001 (user code can raise anything)
                self.defs, self.snapshot = None, None
                self.error = format_load_error(e)
        return self.loaded

    def changed(self):
        return False

    def start_run(self, request):
        from . import execution

        if self.defs is None:
            return {"success": False, "message": f"Code location {self.name} is not loaded: {self.error}"}
        return execution.start_in_thread(self.defs, request)


def format_load_error(e):
    if isinstance(e, WorkspaceError):
        return str(e)
    return "Error loading code:\n" + "".join(traceback.format_exception(e)).rstrip()


def _default_name(entry):
    return entry.get("location_name")


def parse_workspace(path):
    if not os.path.exists(path):
        raise WorkspaceError(f"No arguments given and {path} not found.")
    with open(path, encoding="utf-8") as f:
        try:
            doc = yaml.safe_load(f) or {}
        except yaml.YAMLError as e:
            raise WorkspaceError(f"Could not parse {path}: {e}") from e
    entries = doc.get("load_from")
    if not isinstance(entries, list) or not entries:
        raise WorkspaceError(f"{path}: expected a load_from: list of code locations.")
    base = os.path.dirname(os.path.abspath(path))
    locations = []
    for item in entries:
        if not isinstance(item, dict) or len(item) != 1:
            raise WorkspaceError(f"{path}: each load_from entry has one key (grpc_server, python_file, python_module).")
        (kind, cfg), = item.items()
        if isinstance(cfg, str):
            cfg = {"relative_path" if kind == "python_file" else "module_name": cfg}
        cfg = cfg or {}
        if kind == "grpc_server":
            if "port" not in cfg:
                raise WorkspaceError(f"{path}: grpc_server needs a port.")
            host = cfg.get("host", "localhost")
            name = _default_name(cfg) or f"{host}:{cfg['port']}"
            locations.append(GrpcLocation(name, host, cfg["port"]))
        elif kind in ("python_file", "python_module", "python_package"):
            wd = cfg.get("working_directory")
            if wd and not os.path.isabs(wd):
                wd = os.path.join(base, wd)
            if kind == "python_file":
                rel = cfg.get("relative_path")
                if not rel:
                    raise WorkspaceError(f"{path}: python_file needs relative_path.")
                file = rel if os.path.isabs(rel) else os.path.join(base, rel)
                name = _default_name(cfg) or os.path.basename(file)
                locations.append(InProcessLocation(name, python_file=file, working_directory=wd or base,
                                                   attribute=cfg.get("attribute")))
            else:
                mod = cfg.get("module_name") or cfg.get("package_name")
                if not mod:
                    raise WorkspaceError(f"{path}: {kind} needs module_name.")
                name = _default_name(cfg) or mod
                locations.append(InProcessLocation(name, module_name=mod, working_directory=wd or base,
                                                   attribute=cfg.get("attribute")))
        else:
            raise WorkspaceError(f"{path}: unknown code location type {kind}.")
    return locations


def locations_from_args(args):
    """-w workspace.yaml, or -f file / -m module; default ./workspace.yaml like Dagster."""
    if getattr(args, "python_file", None) or getattr(args, "module_name", None):
        name = getattr(args, "location_name", None) or (args.python_file or args.module_name)
        return [InProcessLocation(name, python_file=args.python_file, module_name=args.module_name,
                                  working_directory=getattr(args, "working_directory", None),
                                  attribute=getattr(args, "attribute", None))]
    files = getattr(args, "workspace", None) or ["workspace.yaml"]
    locations = []
    for f in files:
        locations.extend(parse_workspace(f))
    return locations

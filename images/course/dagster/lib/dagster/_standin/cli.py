"""Command lines of the stand-in: dagster, dagster-webserver, dagster-daemon.

  dagster --version
  dagster api grpc [-h HOST] [-p PORT] (-f FILE | -m MODULE | --package-name PKG) [-d DIR] [-a ATTR]
                   [--location-name NAME] [--lazy-load-user-code]
  dagster api grpc-health-check [-p PORT] [-h HOST]
  dagster job launch -j JOB [-w workspace.yaml] [-l LOCATION]
  dagster job list [-w workspace.yaml]
  dagster run list
  dagster instance info
  dagster-webserver [-h HOST] [-p PORT] [-w workspace.yaml | -f FILE | -m MODULE] [-d DIR]
  dagster-daemon run [-w workspace.yaml | -f FILE | -m MODULE] [-d DIR]
  dagster-daemon liveness-check
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
import uuid

import dagster

from . import log as logmod
from .instance import Instance, InstanceError
from .storage import StorageError

STANDIN_NOTE = ("course stand-in for Dagster " + dagster.__version__.split("+")[0] +
                ": same commands, ports and config files; a small subset of the real features")


def die(message, code=1):
    sys.stderr.write(message.rstrip() + "\n")
    sys.exit(code)


def _parser(prog, description):
    p = argparse.ArgumentParser(prog=prog, description=f"{description} ({STANDIN_NOTE})", add_help=False)
    p.add_argument("--help", action="help", help="show this help and exit")
    return p


def _code_args(p, workspace=True):
    if workspace:
        p.add_argument("-w", "--workspace", action="append", help="path to a workspace.yaml (repeatable)")
    p.add_argument("-f", "--python-file", help="Python file with the Definitions")
    p.add_argument("-m", "--module-name", help="Python module with the Definitions")
    p.add_argument("--package-name", dest="package_name", help="Python package with the Definitions")
    p.add_argument("-d", "--working-directory", help="directory added to sys.path (default: the current one)")
    p.add_argument("-a", "--attribute", help="name of the Definitions object in the module")
    p.add_argument("--location-name", help="name of the code location")


def _fix_package(args):
    if getattr(args, "package_name", None) and not args.module_name:
        args.module_name = args.package_name


def _instance(required_by=None):
    try:
        return Instance.from_home(required_by)
    except InstanceError as e:
        die(str(e))


def _storage(instance, log):
    try:
        return instance.storage(log=log)
    except (InstanceError, StorageError) as e:
        die(f"Could not open the instance storage ({instance.describe_storage()}):\n{e}")


def _locations(args):
    from . import workspace

    _fix_package(args)
    try:
        return workspace.locations_from_args(args)
    except workspace.WorkspaceError as e:
        die(str(e))


# -- dagster ------------------------------------------------------------------------------
def dagster_main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("--help", "help"):
        print(__doc__.strip())
        return 0
    if argv[0] == "--version":
        print(f"dagster, version {dagster.__version__} ({STANDIN_NOTE})")
        return 0
    group, rest = argv[0], argv[1:]
    cmd = rest[0] if rest else ""
    if group == "api" and cmd == "grpc":
        return api_grpc(rest[1:])
    if group == "api" and cmd == "grpc-health-check":
        return api_health(rest[1:])
    if group == "job" and cmd in ("launch", "list"):
        return job_cmd(cmd, rest[1:])
    if group == "run" and cmd == "list":
        return run_list(rest[1:])
    if group == "instance" and cmd == "info":
        return instance_info()
    if group == "dev":
        die("`dagster dev` is not part of the course stand-in: run dagster-webserver and dagster-daemon.")
    die(f"Unknown command: dagster {' '.join(argv[:2])}\n\n{__doc__.strip()}", 2)


def api_grpc(argv):
    from . import execution, grpc_api, workspace

    p = _parser("dagster api grpc", "Serve a code location over gRPC")
    p.add_argument("-h", "--host", default="localhost")
    p.add_argument("-p", "--port", type=int, default=4000)
    p.add_argument("--lazy-load-user-code", action="store_true",
                   help="start even when the code fails to load, and report the error to callers")
    p.add_argument("--max-workers", type=int, default=4)
    _code_args(p, workspace=False)
    args = p.parse_args(argv)
    _fix_package(args)
    if not (args.python_file or args.module_name):
        die("dagster api grpc: give the code with -f FILE, -m MODULE or --package-name PACKAGE.", 2)
    log = logmod.get("dagster.code_server")
    name = args.location_name or args.module_name or os.path.basename(args.python_file)
    state = {"defs": None, "snapshot": None, "error": None}
    try:
        defs = workspace.load_definitions(args.python_file, args.module_name, args.working_directory,
                                          args.attribute)
        state["defs"], state["snapshot"] = defs, workspace.snapshot(defs, name)
    except Exception as e:  # noqa: BLE001 (user code)
        state["error"] = workspace.format_load_error(e)
        if not args.lazy_load_user_code:
            die(f"Error loading code for location {name}:\n{state['error']}")
        log.error("Error loading code (serving the error because of --lazy-load-user-code):\n%s", state["error"])
    server_id = str(uuid.uuid4())

    def list_repositories(_):
        if state["error"]:
            return json.dumps({"error": state["error"]})
        return json.dumps({"snapshot": state["snapshot"]})

    def start_run(payload):
        if state["defs"] is None:
            return json.dumps({"success": False, "message": f"Code failed to load: {state['error']}"})
        return json.dumps(execution.start_in_thread(state["defs"], json.loads(payload)))

    handlers = {
        "Ping": lambda echo: echo,
        "GetServerId": lambda _: server_id,
        "ListRepositories": list_repositories,
        "StartRun": start_run,
        "health": lambda: True,
    }
    try:
        server = grpc_api.serve(args.host, args.port, handlers, args.max_workers)
    except OSError as e:
        die(str(e))
    kind = "file" if args.python_file else "module"
    target = args.python_file or args.module_name
    n = len(state["snapshot"]["assets"]) if state["snapshot"] else 0
    log.info("Started Dagster code server for %s %s on port %d in process %d (%d assets)",
             kind, target, args.port, os.getpid(), n)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    log.info("Shutting down Dagster code server for %s %s on port %d", kind, target, args.port)
    server.stop(2)
    return 0


def api_health(argv):
    from . import grpc_api

    p = _parser("dagster api grpc-health-check", "Check the status of a Dagster gRPC code server")
    p.add_argument("-p", "--port", type=int, default=4000)
    p.add_argument("-h", "--host", default="localhost")
    args = p.parse_args(argv)
    client = grpc_api.Client(args.host, args.port)
    try:
        status = client.health(timeout=5)
    except grpc_api.UserCodeUnreachable as e:
        die(f"Unable to connect to gRPC server: {e}")
    if status != grpc_api.SERVING:
        die(f"gRPC server at {args.host}:{args.port} is not serving (status {status}).")
    print("gRPC connection successful")
    return 0


def job_cmd(cmd, argv):
    from . import runs

    p = _parser(f"dagster job {cmd}", "Launch a job's run / list jobs")
    p.add_argument("-j", "--job", help="job name")
    p.add_argument("-l", "--location", help="code location name")
    _code_args(p)
    args = p.parse_args(argv)
    locations = _locations(args)
    for loc in locations:
        loc.reload()
    if cmd == "list":
        for loc in locations:
            if loc.error:
                print(f"{loc.name}: failed to load: {loc.error}")
                continue
            for j in loc.snapshot["jobs"]:
                if not j.get("hidden"):
                    print(f"{loc.name}: {j['name']} ({', '.join(j['assets'])})")
        return 0
    if not args.job:
        die("dagster job launch: which job? Give it with -j JOB (`dagster job list` shows them).", 2)
    instance = _instance("dagster job launch command")
    log = logmod.get("dagster")
    storage = _storage(instance, log)
    try:
        loc = runs.find_job(locations, args.job, args.location)
        run_id = runs.submit(instance, storage, loc, args.job)
    except runs.SubmitError as e:
        die(str(e))
    run = storage.get_run(run_id)
    print(f"Launched run {run_id} for job {args.job} ({run['status']}).")
    if instance.queued:
        print("It waits in the queue until dagster-daemon launches it.")
    elif run["status"] in ("STARTING", "STARTED"):
        # Code loaded in this very process: wait for it, or the run dies with the command.
        while run and run["status"] in ("STARTING", "STARTED") and loc.kind == "in_process":
            time.sleep(0.5)
            run = storage.get_run(run_id)
        print(f"Run {run_id}: {run['status']}")
    return 0


def run_list(argv):
    p = _parser("dagster run list", "List recent runs of the instance")
    p.add_argument("--limit", type=int, default=20)
    args = p.parse_args(argv)
    instance = _instance()
    storage = _storage(instance, logmod.get("dagster"))
    for r in storage.list_runs(limit=args.limit):
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(r["created"]))
        print(f"{r['run_id']}  {r['status']:<8}  {r['job_name']:<20}  {created} UTC")
    return 0


def instance_info():
    instance = _instance()
    print(f"dagster {dagster.__version__} ({STANDIN_NOTE})")
    print(f"DAGSTER_HOME: {instance.home}{' (unset: temporary instance)' if instance.ephemeral else ''}")
    print(f"Storage: {instance.describe_storage()}")
    print(f"Run coordinator: {'QueuedRunCoordinator' if instance.queued else 'DefaultRunCoordinator'}")
    print(f"Compute logs: {instance.compute_logs_dir}")
    print(f"Local artifact storage: {instance.artifact_dir}")
    try:
        s = instance.storage(retries=0)
        print(f"Connection: ok ({s.describe()})")
    except (InstanceError, StorageError) as e:
        print(f"Connection: FAILED\n{e}")
        return 1
    return 0


# -- dagster-webserver --------------------------------------------------------------------
def webserver_main(argv=None):
    from . import webserver

    p = _parser("dagster-webserver", "Serve the Dagster UI")
    p.add_argument("-h", "--host", default="127.0.0.1")
    p.add_argument("-p", "--port", type=int, default=3000)
    p.add_argument("--log-level", default=None)
    p.add_argument("--version", action="version", version=f"dagster-webserver, version {dagster.__version__}")
    _code_args(p)
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    logmod.setup(args.log_level)
    log = logmod.get("dagster-webserver")
    locations = _locations(args)
    instance = _instance()
    if instance.ephemeral:
        log.warning("DAGSTER_HOME is not set: using a temporary instance in %s. Runs and their history "
                    "are lost when this process stops.", instance.home)
    storage = _storage(instance, log)
    log.info("Using instance storage: %s", storage.describe())
    try:
        webserver.serve(args.host, args.port, instance, storage, locations)
    except OSError as e:
        die(f"Could not serve on {args.host}:{args.port}: {e}")
    return 0


# -- dagster-daemon -----------------------------------------------------------------------
def daemon_main(argv=None):
    from . import daemon

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("--help", "help"):
        print("Usage: dagster-daemon run [-w workspace.yaml | -f FILE | -m MODULE]\n"
              "       dagster-daemon liveness-check\n" + f"({STANDIN_NOTE})")
        return 0
    if argv[0] == "--version":
        print(f"dagster-daemon, version {dagster.__version__}")
        return 0
    if argv[0] == "liveness-check":
        instance = _instance("dagster-daemon liveness-check")
        storage = _storage(instance, None)
        fresh, beats = daemon.liveness(storage)
        if fresh:
            print("Daemon live")
            return 0
        die("Daemon(s) not running: " + ("no heartbeat in the last %ds" % daemon.HEARTBEAT_TOLERANCE
                                         if beats else "no heartbeats in this instance's storage"))
    if argv[0] != "run":
        die(f"Unknown command: dagster-daemon {argv[0]} (try: dagster-daemon run)", 2)
    p = _parser("dagster-daemon run", "Run the Dagster daemons")
    p.add_argument("--log-level", default=None)
    _code_args(p)
    args = p.parse_args(argv[1:])
    logmod.setup(args.log_level)
    log = logmod.get("dagster.daemon")
    locations = _locations(args)
    instance = _instance("dagster-daemon process")
    storage = _storage(instance, log)
    signal.signal(signal.SIGTERM, lambda *_: (log.info("Shutting down the daemon (SIGTERM)."), sys.exit(0)))
    try:
        daemon.run(instance, storage, locations)
    except KeyboardInterrupt:
        return 0
    return 0


def _entry(fn):
    logmod.setup()
    # PID 1 in a container gets no default SIGTERM handling: stop promptly on `docker stop`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        sys.exit(fn())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


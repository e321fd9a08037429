"""Executing a run: the selected assets in dependency order, in the process that holds the code.

Each asset's return value is pickled to <local_artifact_storage>/storage/<asset key>, like
Dagster's default filesystem I/O manager, and downstream assets get it back by parameter name.
Each step's stdout/stderr go to <compute_logs base_dir>/<run_id>/compute_logs/<step>.out|.err
(and still to the container's own output), which the webserver shows on the run's page.
"""

import io
import logging
import os
import pickle
import sys
import threading
import time
import traceback

import dagster

from . import log as logmod
from .instance import Instance, InstanceError
from .storage import StorageError

_local = threading.local()


class _Router(io.TextIOBase):
    """sys.stdout/stderr replacement: a thread that runs a step also writes to its log file."""

    def __init__(self, original, which):
        self.original = original
        self.which = which

    def write(self, s):
        target = getattr(_local, self.which, None)
        if target is not None:
            try:
                target.write(s)
                target.flush()
            except (OSError, ValueError):
                pass
        return self.original.write(s)

    def flush(self):
        self.original.flush()

    def isatty(self):
        return False


_installed = False


def _install_router():
    global _installed
    if not _installed:
        sys.stdout = _Router(sys.stdout, "out")
        sys.stderr = _Router(sys.stderr, "err")
        _installed = True


class RunLog:
    """context.log: lines go to the step's stderr (so to its compute log) and to the event log."""

    def __init__(self, storage, run_id, step_key, job_name):
        self.storage = storage
        self.run_id = run_id
        self.step_key = step_key
        self.job_name = job_name
        self._logger = logmod.get(f"dagster.run.{job_name}")

    def _log(self, level, msg, *args):
        text = msg % args if args else str(msg)
        self._logger.log(getattr(logging, level), f"{self.job_name} - {self.run_id[:8]} - {self.step_key} - {text}")
        try:
            self.storage.add_event(self.run_id, None, text, step_key=self.step_key, extra={"level": level})
        except StorageError:
            pass

    def debug(self, msg, *a):
        self._log("DEBUG", msg, *a)

    def info(self, msg, *a):
        self._log("INFO", msg, *a)

    def warning(self, msg, *a):
        self._log("WARNING", msg, *a)

    warn = warning

    def error(self, msg, *a):
        self._log("ERROR", msg, *a)

    def exception(self, msg, *a):
        self._log("ERROR", msg, *a)


def _toposort(defs, keys):
    by_key = {a.key: a for a in defs.assets}
    order, seen = [], set()

    def visit(k, stack=()):
        if k in seen:
            return
        if k in stack:
            raise RuntimeError(f"Circular dependency between assets: {' -> '.join(stack + (k,))}")
        for d in by_key[k].deps:
            if d in keys:
                visit(d, stack + (k,))
        seen.add(k)
        order.append(by_key[k])

    for k in keys:
        visit(k)
    return order


def _step_key(asset_key):
    return asset_key.replace("/", "__")


def _value_path(instance, key):
    return os.path.join(instance.artifact_dir, "storage", *key.split("/"))


def execute(defs, request, instance, storage):
    run_id, job_name = request["run_id"], request["job_name"]
    log = logmod.get("dagster")
    _install_router()
    if job_name == "__ASSET_JOB":
        keys = [a.key for a in defs.assets]
    else:
        job = next((j for j in defs.jobs if j.name == job_name), None)
        if job is None:
            storage.add_event(run_id, "RUN_FAILURE", f'Job "{job_name}" is not in this code location.')
            storage.set_run_status(run_id, "FAILURE", end=True)
            return
        keys = job.selection.resolve(defs.assets)
    if request.get("asset_selection"):
        keys = [k for k in keys if k in request["asset_selection"]]

    storage.set_run_status(run_id, "STARTED", start=True)
    storage.add_event(run_id, "RUN_START", f'Started execution of run for "{job_name}".')
    log.info("%s - %s - RUN_START - Started execution of run for \"%s\".", job_name, run_id, job_name)
    failed, skipped = [], []
    try:
        steps = _toposort(defs, keys)
    except RuntimeError as e:
        storage.add_event(run_id, "RUN_FAILURE", str(e))
        storage.set_run_status(run_id, "FAILURE", end=True)
        return
    log_dir = os.path.join(instance.compute_logs_dir, run_id, "compute_logs")
    try:
        os.makedirs(log_dir, exist_ok=True)
    except OSError as e:
        log_dir = None
        storage.add_event(run_id, "ENGINE_EVENT",
                          f"Could not create the compute log folder: {e}. Step output is not captured.")
    for a in steps:
        step = _step_key(a.key)
        if any(d in failed or d in skipped for d in a.deps):
            skipped.append(a.key)
            storage.add_event(run_id, "STEP_SKIPPED", f'Skipping step "{step}": an upstream step failed.', step_key=step)
            continue
        out = err = None
        if log_dir:
            out = open(os.path.join(log_dir, f"{step}.out"), "a", encoding="utf-8")
            err = open(os.path.join(log_dir, f"{step}.err"), "a", encoding="utf-8")
            storage.add_event(run_id, "LOGS_CAPTURED", f"Started capturing logs in {log_dir}/{step}.out|.err",
                              step_key=step)
        _local.out, _local.err = out, err
        started = time.time()
        storage.add_event(run_id, "STEP_START", f'Started execution of step "{step}".', step_key=step)
        try:
            kwargs = {}
            for name in a.inputs:
                path = _value_path(instance, name)
                with open(path, "rb") as f:
                    kwargs[name] = pickle.load(f)
                storage.add_event(run_id, "LOADED_INPUT", f'Loaded input "{name}" from {path}', step_key=step)
            args = []
            ctx = None
            if a.wants_context:
                ctx = dagster.AssetExecutionContext(run_id, a.key, RunLog(storage, run_id, step, job_name))
                args.append(ctx)
            result = a.fn(*args, **kwargs)
            metadata = dict(ctx._metadata) if ctx else {}
            if isinstance(result, dagster.MaterializeResult):
                metadata.update(result.metadata)
                result = None
            elif isinstance(result, dagster.Output):
                metadata.update(result.metadata)
                result = result.value
            if result is not None:
                path = _value_path(instance, a.key)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    pickle.dump(result, f)
                metadata.setdefault("path", path)
                storage.add_event(run_id, "HANDLED_OUTPUT", f'Handled output "result" using the filesystem I/O manager: {path}',
                                  step_key=step)
            shown = ", ".join(f"{k}={v}" for k, v in metadata.items())
            storage.add_event(run_id, "ASSET_MATERIALIZATION",
                              f'Materialized value {a.key}.' + (f" Metadata: {shown}" if shown else ""),
                              step_key=step, asset_key=a.key, extra={"metadata": {k: str(v) for k, v in metadata.items()}})
            storage.add_event(run_id, "STEP_SUCCESS",
                              f'Finished execution of step "{step}" in {time.time() - started:.2f}s.', step_key=step)
        except Exception as e:  # noqa: BLE001 (user code)
            tb = "".join(traceback.format_exception(e))
            if err:
                err.write(tb)
            sys.__stderr__.write(tb)
            failed.append(a.key)
            storage.add_event(run_id, "STEP_FAILURE", f'Execution of step "{step}" failed.\n\n{type(e).__name__}: {e}',
                              step_key=step, extra={"traceback": tb})
        finally:
            _local.out = _local.err = None
            for fh in (out, err):
                if fh:
                    fh.close()
    if failed:
        storage.add_event(run_id, "RUN_FAILURE", f'Execution of run for "{job_name}" failed. Steps failed: {failed}.')
        storage.set_run_status(run_id, "FAILURE", end=True)
        log.error("%s - %s - RUN_FAILURE - Steps failed: %s", job_name, run_id, failed)
    else:
        storage.add_event(run_id, "RUN_SUCCESS", f'Finished execution of run for "{job_name}".')
        storage.set_run_status(run_id, "SUCCESS", end=True)
        log.info("%s - %s - RUN_SUCCESS - Finished execution of run for \"%s\".", job_name, run_id, job_name)


def start_in_thread(defs, request):
    """StartRun: check the instance is usable here, then execute in the background."""
    try:
        instance = Instance.from_ref(request["instance"])
        storage = instance.storage(log=logmod.get("dagster"), retries=2)
    except (InstanceError, StorageError) as e:
        return {"success": False, "message": f"The code server could not open the instance: {e}"}

    def run():
        try:
            execute(defs, request, instance, storage)
        except Exception as e:  # noqa: BLE001
            try:
                storage.add_event(request["run_id"], "ENGINE_EVENT", f"Run worker crashed: {e}")
                storage.set_run_status(request["run_id"], "FAILURE", end=True)
            except StorageError:
                pass
            traceback.print_exc()
        finally:
            storage.close()

    threading.Thread(target=run, name=f"run-{request['run_id'][:8]}", daemon=True).start()
    return {"success": True, "message": "Run launched"}

"""Submitting and launching runs, shared by the webserver, the daemon and `dagster job launch`.

With run_coordinator QueuedRunCoordinator a submitted run waits as QUEUED until the daemon
dequeues it; otherwise the submitting process launches it at once. Launching means asking the
run's code location to execute it: over gRPC for a grpc_server location, in this process for
code loaded in-process.
"""

from . import workspace
from .storage import StorageError


class SubmitError(Exception):
    pass


def find_job(locations, job_name, location_name=None):
    matches = []
    for loc in locations:
        if location_name and loc.name != location_name:
            continue
        if loc.snapshot and workspace.job_assets(loc.snapshot, job_name) is not None:
            matches.append(loc)
    if not matches:
        broken = [f"{loc.name}: {loc.error}" for loc in locations if loc.error]
        extra = ("\nCode locations that failed to load:\n" + "\n".join(broken)) if broken else ""
        raise SubmitError(f'Job "{job_name}" not found in any loaded code location.{extra}')
    if len(matches) > 1:
        raise SubmitError(f'Job "{job_name}" is in several code locations; choose one with --location.')
    return matches[0]


def submit(instance, storage, location, job_name, tags=None):
    body = {"location": location.name, "tags": dict(tags or {})}
    if instance.queued:
        run_id = storage.create_run(job_name, "QUEUED", body)
        storage.add_event(run_id, "RUN_ENQUEUED", "Run added to the queue (QueuedRunCoordinator).")
        return run_id
    run_id = storage.create_run(job_name, "STARTING", body)
    storage.add_event(run_id, "RUN_STARTING", "Launching run (no queue configured).")
    launch(instance, storage, location, run_id, job_name)
    return run_id


def launch(instance, storage, location, run_id, job_name):
    storage.add_event(run_id, "ENGINE_EVENT", f"Launching run in code location {location.name} ({location.describe()}).")
    reply = location.start_run({"run_id": run_id, "job_name": job_name, "instance": instance.ref()})
    if reply.get("success"):
        return True
    try:
        storage.add_event(run_id, "ENGINE_EVENT", reply.get("message", "launch failed"))
        storage.add_event(run_id, "RUN_FAILURE", "The run could not be launched.")
        storage.set_run_status(run_id, "FAILURE", end=True)
    except StorageError:
        pass
    return False

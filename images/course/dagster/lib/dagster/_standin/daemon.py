"""dagster-daemon run: the scheduler, sensor and run-queue loops, and their heartbeats.

Every few seconds the QueuedRunCoordinatorDaemon moves QUEUED runs to their code location;
once a minute the SchedulerDaemon starts runs for schedules whose cron matches; every
HEARTBEAT_INTERVAL seconds each daemon writes a heartbeat to the instance's storage, which the
webserver reads to show whether the daemon is running.
"""

import os
import socket
import time
import uuid

from . import cron, log as logmod, runs
from .storage import StorageError

HEARTBEAT_INTERVAL = 20
HEARTBEAT_TOLERANCE = 60
DAEMONS = ["SCHEDULER", "SENSOR", "QUEUED_RUN_COORDINATOR", "BACKFILL"]
NAMES = {"SCHEDULER": "SchedulerDaemon", "SENSOR": "SensorDaemon",
         "QUEUED_RUN_COORDINATOR": "QueuedRunCoordinatorDaemon", "BACKFILL": "BackfillDaemon"}


def run(instance, storage, locations):
    log = logmod.get("dagster.daemon")
    daemon_id = str(uuid.uuid4())
    active = [d for d in DAEMONS if d != "QUEUED_RUN_COORDINATOR" or instance.queued]
    log.info("Instance is configured with the following daemons: %s", sorted(NAMES[d] for d in active))
    log.info("Storage: %s", storage.describe())
    for loc in locations:
        if loc.reload():
            log.info("Loaded code location %s (%s)", loc.name, loc.describe())
        else:
            log.warning("Code location %s failed to load: %s", loc.name, loc.error)
    qlog = logmod.get("dagster.daemon.QueuedRunCoordinatorDaemon")
    slog = logmod.get("dagster.daemon.SchedulerDaemon")
    nlog = logmod.get("dagster.daemon.SensorDaemon")
    last_beat = 0.0
    last_sched_minute = None
    last_reload = time.time()
    while True:
        now = time.time()
        try:
            if now - last_beat >= HEARTBEAT_INTERVAL:
                for d in active:
                    storage.write_heartbeat(d, daemon_id, {"host": socket.gethostname(), "pid": os.getpid(),
                                                           "errors": []})
                log.info("Heartbeat: %s are alive (daemon %s on %s)",
                         ", ".join(NAMES[d] for d in active), daemon_id[:8], socket.gethostname())
                last_beat = now
            for loc in locations:
                if loc.changed() or (loc.error and now - last_reload > 10):
                    if loc.reload():
                        log.info("Reloaded code location %s", loc.name)
                    last_reload = now
            if instance.queued:
                _dequeue(instance, storage, locations, qlog)
            minute = int(now // 60)
            if minute != last_sched_minute:
                last_sched_minute = minute
                _schedules(instance, storage, locations, slog, minute * 60)
                if not any(loc.snapshot and loc.snapshot.get("sensors") for loc in locations):
                    nlog.info("Not checking for any runs since no sensors have been started.")
        except StorageError as e:
            log.error("Storage error (will retry): %s", e)
        time.sleep(2)


def _dequeue(instance, storage, locations, log):
    queued = storage.list_runs(limit=25, status="QUEUED")
    if not queued:
        return
    in_progress = storage.count_runs(["STARTING", "STARTED"])
    log.info("Retrieved %d queued runs, checking limits.", len(queued))
    launched = 0
    for r in queued:
        if in_progress + launched >= instance.max_concurrent_runs:
            break
        if not storage.set_run_status(r["run_id"], "STARTING", expect="QUEUED"):
            continue
        storage.add_event(r["run_id"], "RUN_DEQUEUED", "Run dequeued by the daemon.")
        name = r["body"].get("location")
        loc = next((x for x in locations if x.name == name), None)
        if loc is None or not loc.loaded:
            if loc is not None:
                loc.reload()
        if loc is None:
            storage.add_event(r["run_id"], "ENGINE_EVENT", f"Code location {name} is not in the daemon's workspace.")
            storage.set_run_status(r["run_id"], "FAILURE", end=True)
            continue
        if runs.launch(instance, storage, loc, r["run_id"], r["job_name"]):
            launched += 1
        else:
            log.error("Run %s could not be launched; see its event log.", r["run_id"])
    if launched:
        log.info("Launched %d runs.", launched)


def _schedules(instance, storage, locations, log, tick_time):
    running = []
    for loc in locations:
        for s in (loc.snapshot or {}).get("schedules", []):
            if s["default_status"] == "RUNNING":
                running.append((loc, s))
    if not running:
        log.info("Not checking for any runs since no schedules have been started.")
        return
    log.info("Checking for new runs for the following schedules: %s", ", ".join(s["name"] for _, s in running))
    for loc, s in running:
        try:
            if not cron.matches(s["cron"], tick_time):
                continue
        except ValueError as e:
            log.error("Schedule %s: %s", s["name"], e)
            continue
        selector = f"{loc.name}:{s['name']}"
        if not storage.record_tick(selector, s["name"], tick_time, "SUCCESS", {"job": s["job"]}):
            continue
        run_id = runs.submit(instance, storage, loc, s["job"],
                             tags={"dagster/schedule_name": s["name"]})
        log.info("Evaluating schedule `%s` at %s: launched run %s for job %s",
                 s["name"], time.strftime("%Y-%m-%d %H:%M +0000", time.gmtime(tick_time)), run_id, s["job"])


def liveness(storage):
    beats = storage.heartbeats()
    now = time.time()
    fresh = [b for b in beats if now - (b["timestamp"] or 0) <= HEARTBEAT_TOLERANCE]
    return fresh, beats

#!/usr/bin/env python3
"""Course stand-in for `ocs-agent-cli` from simonsobs/ocs, Python stdlib plus PyYAML.

Not the real OCS. It starts one agent the way the real command does:

  * the instance id comes from --instance-id or $INSTANCE_ID; the hub from --site-hub/$SITE_HUB,
    --site-http/$SITE_HTTP, --site-realm, or else from the site config file
    $OCS_CONFIG_DIR/default.yaml (or --site-file);
  * the host block is chosen by --site-host/$SITE_HOST, else the container's hostname, else
    "localhost"; in it, the agent-instances entry with this instance-id gives the agent-class
    and its arguments;
  * the agent joins the WAMP realm over the WebSocket hub, registers <address_root>.<id> and
    <address_root>.<id>.ops, and publishes a heartbeat feed.

Agent classes: FakeDataAgent (publishes fake temperatures to a feed), InfluxDBAgent (subscribes to
every feed and writes recorded ones to InfluxDB with the line protocol, measurement = agent
address, tag feed = feed name) and AggregatorAgent (writes recorded feeds to files under
--data-dir, as JSON lines instead of G3 frames).
"""

import argparse
import json
import math
import os
import queue
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import wsproto
import yaml

HELLO, WELCOME, ABORT, GOODBYE, ERROR = 1, 2, 3, 6, 8
PUBLISH, SUBSCRIBE, SUBSCRIBED, EVENT = 16, 32, 33, 36
CALL, RESULT, REGISTER, REGISTERED, INVOCATION, YIELD = 48, 50, 64, 65, 68, 70

OP_CODES = {"NONE": 1, "STARTING": 2, "RUNNING": 3, "STOPPING": 4, "SUCCEEDED": 5, "FAILED": 6}


def log(msg):
    print(time.strftime("%Y-%m-%dT%H:%M:%S%z") + " " + msg, flush=True)


class Throttled:
    """Logs a repeating problem once, then at most every `every` seconds."""

    def __init__(self, every=30):
        self.every, self.last, self.key = every, 0.0, None

    def __call__(self, key, msg):
        now = time.time()
        if key != self.key or now - self.last >= self.every:
            log(msg)
            self.key, self.last = key, now

    def clear(self):
        self.key = None


# --- site config ---------------------------------------------------------------------------


def site_arguments(argv):
    p = argparse.ArgumentParser(
        prog="ocs-agent-cli",
        description="Start an OCS agent (course stand-in). Reads INSTANCE_ID, SITE_HUB, "
        "SITE_HTTP and SITE_HOST from the environment, and $OCS_CONFIG_DIR/default.yaml.",
    )
    p.add_argument("--site", default=None)
    p.add_argument("--site-file", default=None)
    p.add_argument("--site-host", default=os.environ.get("SITE_HOST"))
    p.add_argument("--site-hub", default=os.environ.get("SITE_HUB"))
    p.add_argument("--site-http", default=os.environ.get("SITE_HTTP"))
    p.add_argument("--site-realm", default=os.environ.get("SITE_REALM"))
    p.add_argument("--instance-id", default=os.environ.get("INSTANCE_ID"))
    p.add_argument("--address-root", default=None)
    args, rest = p.parse_known_args(argv)
    return args, rest


def load_site(args):
    if args.site_file:
        path = args.site_file
    else:
        cfg_dir = os.environ.get("OCS_CONFIG_DIR")
        if not cfg_dir:
            sys.exit("ocs-agent-cli: OCS_CONFIG_DIR is not set and no --site-file was given.")
        path = os.path.join(cfg_dir, (args.site or "default") + ".yaml")
    try:
        with open(path) as f:
            site = yaml.safe_load(f)
    except FileNotFoundError:
        sys.exit(
            f"ocs-agent-cli: site config file {path} does not exist. Is the config directory "
            "mounted at /config (OCS_CONFIG_DIR)?"
        )
    except PermissionError:
        sys.exit(f"ocs-agent-cli: cannot read site config file {path}: permission denied.")
    except yaml.YAMLError as e:
        sys.exit(f"ocs-agent-cli: {path} is not valid YAML: {e}")
    if not isinstance(site, dict) or "hub" not in site or "hosts" not in site:
        sys.exit(f"ocs-agent-cli: {path} needs a 'hub' and a 'hosts' section.")
    return path, site


def pick_instance(args, site):
    host = args.site_host or socket.gethostname()
    hosts = site["hosts"] or {}
    for name in (host, "localhost"):
        if name in hosts:
            host_cfg = hosts[name] or {}
            break
    else:
        sys.exit(
            f'ocs-agent-cli: site config has no entry in "hosts" for "{host}" (nor for '
            f'"localhost"). Known hosts: {", ".join(hosts) or "none"}. The container hostname '
            "must match one (compose: hostname:)."
        )
    if not args.instance_id:
        sys.exit("ocs-agent-cli: no instance id: set INSTANCE_ID or pass --instance-id.")
    for inst in host_cfg.get("agent-instances") or []:
        if inst.get("instance-id") == args.instance_id:
            return host if host in hosts else "localhost", host_cfg, inst
    sys.exit(
        f'ocs-agent-cli: host "{host}" in the site config has no agent instance '
        f'"{args.instance_id}".'
    )


# --- WAMP client ---------------------------------------------------------------------------


class Wamp:
    """One WAMP session over the stand-in WebSocket; reconnects are done by the caller."""

    def __init__(self, url, realm):
        self.url, self.realm = url, realm
        self.ws = None
        self.session_id = None
        self.req = 0
        self.lock = threading.Lock()
        self.waiting = {}  # request id -> (Event, box)
        self.handlers = {}  # subscription id -> fn(args, kwargs, details)
        self.procs = {}  # registration id -> fn(args, kwargs)
        self.closed = threading.Event()

    def _next(self):
        with self.lock:
            self.req += 1
            return self.req

    def send(self, msg):
        self.ws.send_text(json.dumps(msg))

    def open(self):
        self.ws, proto = wsproto.connect(self.url, ["wamp.2.json"])
        roles = {"publisher": {}, "subscriber": {}, "caller": {}, "callee": {}}
        self.send([HELLO, self.realm, {"roles": roles}])
        reply = json.loads(self.ws.recv())
        if reply[0] == ABORT:
            self.ws.close()
            raise ConnectionError(f"router refused to join realm '{self.realm}': {reply[2]}")
        if reply[0] != WELCOME:
            self.ws.close()
            raise ConnectionError(f"unexpected first message from router: {reply!r}")
        self.session_id = reply[1]
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        try:
            while True:
                msg = json.loads(self.ws.recv())
                code = msg[0]
                if code in (SUBSCRIBED, REGISTERED, RESULT) or (code == ERROR):
                    rid = msg[2] if code == ERROR else msg[1]
                    w = self.waiting.pop(rid, None)
                    if w:
                        w[1]["msg"] = msg
                        w[0].set()
                elif code == EVENT:
                    fn = self.handlers.get(msg[1])
                    if fn:
                        args = msg[4] if len(msg) > 4 else []
                        kwargs = msg[5] if len(msg) > 5 else {}
                        try:
                            fn(args, kwargs, msg[3])
                        except Exception as e:  # keep the session alive
                            log(f"error handling event: {e!r}")
                elif code == INVOCATION:
                    threading.Thread(target=self._invoke, args=(msg,), daemon=True).start()
                elif code == GOODBYE:
                    break
        except (wsproto.Closed, ValueError, OSError):
            pass
        finally:
            self.closed.set()
            if self.ws:
                self.ws.close()

    def _invoke(self, msg):
        inv, reg = msg[1], msg[2]
        args = msg[4] if len(msg) > 4 else []
        kwargs = msg[5] if len(msg) > 5 else {}
        fn = self.procs.get(reg)
        try:
            if fn is None:
                raise LookupError("no such registration")
            result = fn(args, kwargs)
            self.send([YIELD, inv, {}, [result]])
        except Exception as e:
            try:
                self.send([ERROR, INVOCATION, inv, {}, "ocs.error", [str(e)]])
            except wsproto.Closed:
                pass

    def _request(self, msg, timeout=10):
        ev, box = threading.Event(), {}
        self.waiting[msg[1]] = (ev, box)
        self.send(msg)
        if not ev.wait(timeout):
            raise TimeoutError(f"router did not answer {msg[0]}")
        reply = box["msg"]
        if reply[0] == ERROR:
            raise RuntimeError(f"{reply[4]} {reply[5] if len(reply) > 5 else ''}")
        return reply

    def subscribe(self, topic, fn, match="exact"):
        opts = {} if match == "exact" else {"match": match}
        reply = self._request([SUBSCRIBE, self._next(), opts, topic])
        self.handlers[reply[2]] = fn

    def register(self, procedure, fn):
        reply = self._request([REGISTER, self._next(), {}, procedure])
        self.procs[reply[2]] = fn

    def publish(self, topic, args):
        self.send([PUBLISH, self._next(), {}, topic, args])

    def close(self):
        try:
            self.send([GOODBYE, {}, "wamp.close.system_shutdown"])
        except Exception:
            pass
        if self.ws:
            self.ws.close()


# --- agents --------------------------------------------------------------------------------


class Agent:
    """What every OCS agent has: an address, operations with sessions, feeds, a heartbeat."""

    agent_class = "Agent"
    process = None  # name of the long-running process this agent starts

    def __init__(self, address, opts):
        self.address = address
        self.opts = opts
        self.wamp = None
        self.connected = threading.Event()
        self.session = {
            "session_id": 0,
            "op_name": self.process,
            "op_code": OP_CODES["NONE"],
            "status": "idle",
            "success": None,
            "start_time": None,
            "end_time": None,
            "data": {},
            "messages": [],
        }
        self.running = threading.Event()

    # feeds
    def feed_info(self, feed, record):
        return {
            "agent_address": self.address,
            "feed_name": feed,
            "address": f"{self.address}.feeds.{feed}",
            "record": record,
            "agg_params": {},
            "session_id": self.session["session_id"],
        }

    def publish_to_feed(self, feed, message, record=True):
        w = self.wamp
        if w is None or not self.connected.is_set():
            return False
        try:
            w.publish(f"{self.address}.feeds.{feed}", [message, self.feed_info(feed, record)])
            return True
        except wsproto.Closed:
            return False

    # operations
    def set_status(self, status, code, msg):
        self.session["status"] = status
        self.session["op_code"] = OP_CODES[code]
        self.session["messages"] = (self.session["messages"] + [[time.time(), msg]])[-20:]
        log(f"{self.process}:{self.session['session_id']} {msg}")

    def start_process(self):
        if self.running.is_set():
            return
        self.session["session_id"] += 1
        self.session["start_time"] = time.time()
        self.session["end_time"] = None
        self.running.set()
        self.set_status("running", "RUNNING", 'Status is now "running".')

    def stop_process(self):
        if not self.running.is_set():
            return
        self.running.clear()
        self.session["end_time"] = time.time()
        self.session["success"] = True
        self.set_status("done", "SUCCEEDED", 'Status is now "done".')

    def api(self):
        return {
            "agent_class": self.agent_class,
            "instance_hostname": socket.gethostname(),
            "instance_pid": os.getpid(),
            "tasks": [],
            "processes": [[self.process, self.session]] if self.process else [],
            "feeds": [[f, self.feed_info(f, True)] for f in self.feeds()],
        }

    def feeds(self):
        return []

    def management(self, args, _kwargs):
        q = args[0] if args else "get_api"
        api = self.api()
        if q == "get_api":
            return api
        if q in ("get_tasks", "get_processes", "get_feeds"):
            return api[q[4:]]
        raise ValueError(f"unknown management query {q!r}")

    def ops(self, args, _kwargs):
        action = args[0] if args else "status"
        name = args[1] if len(args) > 1 else self.process
        if name != self.process:
            return [-1, f"No operation called '{name}'", {}]
        if action == "start":
            self.start_process()
            return [0, f"Started process {name}.", self.session]
        if action == "stop":
            self.stop_process()
            return [0, f"Requested stop on process {name}.", self.session]
        if action in ("status", "wait"):
            return [0, "Session active." if self.running.is_set() else "No active session.", self.session]
        return [-1, f"unknown action {action!r}", {}]

    def on_join(self, wamp):
        """Called on each (re)connection to the hub."""

    def run(self):
        """The agent's own work; runs in a thread for the life of the process."""


class FakeDataAgent(Agent):
    agent_class = "FakeDataAgent"
    process = "acq"

    @staticmethod
    def parser(p):
        p.add_argument("--mode", default="idle")
        p.add_argument("--num-channels", type=int, default=2)
        p.add_argument("--sample-rate", type=float, default=9.5)
        p.add_argument("--frame-length", type=float, default=1.0)

    def feeds(self):
        return ["false_temperatures"]

    def run(self):
        if self.opts.mode == "acq":
            self.start_process()
        rate = max(0.1, min(self.opts.sample_rate, 50.0))
        n = max(1, min(self.opts.num_channels, 32))
        frame = max(0.2, self.opts.frame_length)
        warn = Throttled()
        t_next = time.time()
        while True:
            time.sleep(max(0.0, t_next + frame - time.time()))
            t0, t_next = t_next, t_next + frame
            if not self.running.is_set():
                continue
            stamps = [t0 + i / rate for i in range(max(1, int(frame * rate)))]
            data = {
                f"channel_{c:02d}": [
                    round(0.1 + 0.02 * c + 0.01 * math.sin(t / 20 + c) + random.gauss(0, 0.0008), 6)
                    for t in stamps
                ]
                for c in range(n)
            }
            block = {"temps": {"block_name": "temps", "timestamps": stamps, "data": data}}
            self.session["data"] = {k: v[-1] for k, v in data.items()} | {"timestamp": stamps[-1]}
            if self.publish_to_feed("false_temperatures", block):
                warn.clear()
            else:
                warn("nohub", "acq: not connected to the hub, samples are dropped")


def lines_for(message, feed):
    """InfluxDB line protocol, the way OCS's InfluxDB publisher formats a feed message."""
    out = []
    measurement = feed["agent_address"].replace(" ", "\\ ").replace(",", "\\,")
    tags = "feed=" + feed["feed_name"]
    for block in message.values():
        keys = list(block["data"])
        for i, t in enumerate(block["timestamps"]):
            fields = []
            for k in keys:
                v = block["data"][k][i]
                if isinstance(v, bool):
                    fields.append(f"{k}={str(v).lower()}")
                elif isinstance(v, int):
                    fields.append(f"{k}={v}i")
                elif isinstance(v, float):
                    fields.append(f"{k}={v}")
                else:
                    fields.append(f'{k}="{v}"')
            if fields:
                out.append(f"{measurement},{tags} {','.join(fields)} {int(t * 1e9)}")
    return out


class RecorderAgent(Agent):
    """Shared part of the agents that subscribe to every feed and keep the recorded ones."""

    process = "record"

    def __init__(self, address, opts):
        super().__init__(address, opts)
        self.incoming = queue.Queue(maxsize=100_000)
        self.root = address.rsplit(".", 1)[0]

    def on_join(self, wamp):
        wamp.subscribe(f"{self.root}..feeds.", self.enqueue, match="wildcard")

    def enqueue(self, args, _kwargs, _details):
        if not self.running.is_set() or len(args) < 2:
            return
        message, feed = args[0], args[1]
        if not feed.get("record") or feed.get("agg_params", {}).get("exclude_influx"):
            return
        try:
            self.incoming.put_nowait((message, feed))
        except queue.Full:
            pass

    def drain(self):
        items = []
        while True:
            try:
                items.append(self.incoming.get_nowait())
            except queue.Empty:
                return items


class InfluxDBAgent(RecorderAgent):
    agent_class = "InfluxDBAgent"

    @staticmethod
    def parser(p):
        p.add_argument("--initial-state", default="record")
        p.add_argument("--host", default="influxdb")
        p.add_argument("--port", type=int, default=8086)
        p.add_argument("--database", default="ocs_feeds")
        p.add_argument("--protocol", default="line")
        p.add_argument("--gzip", default="False")

    def base(self):
        return f"http://{self.opts.host}:{self.opts.port}"

    def query(self, q, method="GET"):
        data = urllib.parse.urlencode({"q": q}).encode()
        if method == "GET":
            req = urllib.request.Request(self.base() + "/query?" + data.decode())
        else:
            req = urllib.request.Request(self.base() + "/query", data=data, method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.load(r)

    def connect_db(self, warn):
        while True:
            try:
                res = self.query("SHOW DATABASES")
                names = [v[0] for s in res["results"][0].get("series", []) for v in s.get("values", [])]
                if self.opts.database not in names:
                    log(f"{self.opts.database} DB doesn't exist, creating DB")
                    self.query(f'CREATE DATABASE "{self.opts.database}"', method="POST")
                log(f"connected to InfluxDB at {self.base()}, database {self.opts.database}")
                return
            except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
                reason = getattr(e, "reason", e)
                warn("db", f"Connection error, attempting to reconnect to DB at {self.base()}: {reason}")
                time.sleep(2)

    def run(self):
        log(f"data protocol: {self.opts.protocol}")
        if self.opts.initial_state == "record":
            self.start_process()
        warn = Throttled()
        self.connect_db(warn)
        written = 0
        while True:
            time.sleep(1)
            payload = []
            for message, feed in self.drain():
                payload.extend(lines_for(message, feed))
            if not payload:
                continue
            url = f"{self.base()}/write?db={urllib.parse.quote(self.opts.database)}&precision=ns"
            req = urllib.request.Request(url, data="\n".join(payload).encode(), method="POST")
            try:
                with urllib.request.urlopen(req, timeout=5):
                    pass
                written += len(payload)
                self.session["data"] = {"points_written": written, "last_write": time.time()}
                warn.clear()
            except urllib.error.HTTPError as e:
                warn("http", f"InfluxDB Client Error: {e.code} {e.read()[:200]!r}")
            except (urllib.error.URLError, OSError) as e:
                warn("down", f"InfluxDB unavailable at {self.base()} ({getattr(e, 'reason', e)}), attempting to reconnect.")


class AggregatorAgent(RecorderAgent):
    agent_class = "AggregatorAgent"

    @staticmethod
    def parser(p):
        p.add_argument("--initial-state", default="idle")
        p.add_argument("--time-per-file", type=float, default=3600)
        p.add_argument("--data-dir", default="/data/")

    def run(self):
        if self.opts.initial_state == "record":
            self.start_process()
        warn = Throttled()
        current, opened = None, 0.0
        while True:
            time.sleep(1)
            items = self.drain()
            if not items:
                continue
            now = time.time()
            if current is None or now - opened >= self.opts.time_per_file:
                stamp = str(int(now))
                current = os.path.join(self.opts.data_dir, stamp[:5], stamp + ".jsonl")
                opened = now
            try:
                os.makedirs(os.path.dirname(current), exist_ok=True)
                with open(current, "a") as f:
                    for message, feed in items:
                        f.write(json.dumps({"feed": feed["address"], "blocks": message}) + "\n")
                self.session["data"] = {"current_file": current}
                warn.clear()
            except OSError as e:
                warn(
                    "io",
                    f"cannot write to {self.opts.data_dir} as uid {os.getuid()}: {e.strerror}. "
                    "Data dropped.",
                )
                current = None


AGENTS = {c.agent_class: c for c in (FakeDataAgent, InfluxDBAgent, AggregatorAgent)}


# --- main ----------------------------------------------------------------------------------


def main(argv):
    args, rest = site_arguments(argv)
    path, site = load_site(args)
    host, host_cfg, inst = pick_instance(args, site)
    hub = dict(site["hub"] or {})
    for k in ("wamp_server", "wamp_http", "wamp_realm"):  # a host block may override the hub
        if k in host_cfg:
            hub[k] = host_cfg[k]
    url = args.site_hub or hub.get("wamp_server")
    http = args.site_http or hub.get("wamp_http")
    realm = args.site_realm or hub.get("wamp_realm", "test_realm")
    root = args.address_root or hub.get("address_root", "observatory")
    cls = AGENTS.get(inst.get("agent-class"))
    if cls is None:
        sys.exit(
            f"ocs-agent-cli: agent-class {inst.get('agent-class')!r} is not available in this "
            f"image (stand-in agents: {', '.join(AGENTS)})."
        )
    p = argparse.ArgumentParser(prog=f"ocs-agent-cli ({cls.agent_class})")
    cls.parser(p)
    inst_args = [str(x) for pair in inst.get("arguments") or [] for x in pair]
    opts, unknown = p.parse_known_args(inst_args + rest)
    address = f"{root}.{inst['instance-id']}"
    log(f"ocs-agent-cli (course stand-in): site config {path}, host '{host}'")
    log(f"starting {cls.agent_class} '{inst['instance-id']}' at address {address}")
    log(f"hub: {url} (realm {realm}), http bridge: {http}")
    if unknown:
        log(f"ignoring unknown arguments: {' '.join(unknown)}")
    if not url:
        sys.exit("ocs-agent-cli: no WAMP hub: set SITE_HUB or hub.wamp_server in the site config.")

    agent = cls(address, opts)
    threading.Thread(target=agent.run, daemon=True).start()
    threading.Thread(target=heartbeat, args=(agent,), daemon=True).start()

    warn = Throttled()
    delay = 1
    while True:
        wamp = Wamp(url, realm)
        try:
            wamp.open()
            wamp.register(address, agent.management)
            wamp.register(address + ".ops", agent.ops)
            agent.on_join(wamp)
        except (OSError, ConnectionError, TimeoutError, RuntimeError, ValueError, wsproto.Closed) as e:
            wamp.close()
            warn("hub", f"could not join the hub at {url}: {e}; retrying")
            time.sleep(delay)
            delay = min(delay * 2, 8)
            continue
        delay = 1
        warn.clear()
        log(f"joined realm '{realm}' as session {wamp.session_id}; registered {address}")
        agent.wamp = wamp
        agent.connected.set()
        wamp.closed.wait()
        agent.connected.clear()
        log(f"lost the connection to the hub at {url}; reconnecting")


def heartbeat(agent):
    while True:
        time.sleep(1)
        agent.publish_to_feed("heartbeat", {"op_codes": {agent.process: agent.session["op_code"]}} if agent.process else {}, record=False)


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main(sys.argv[1:])

/**
 * The course's diagrams, by name: `<Diagram name="compose-network" />` in a lesson.
 * Every name, port and network here is the one the lesson and its lab use; when a lesson
 * changes, change its picture with it. The pictures of a lab's Compose stack are held to that
 * lab's files by lab-stacks.ts and its test.
 */
import { formatDelay, restartDelays } from './backoff.ts';
import type { AnySpec, Box, ChartSpec, DiagramSpec } from './svg.ts';

// --- Module 1: images and containers ------------------------------------------------------

const containers = ['web-1', 'web-2', 'web-3'];

const imagesAndContainers: DiagramSpec = {
  id: 'images-and-containers',
  title: 'One image, three containers',
  desc: 'The read-only layers of the image my-web-service, shared by three containers that each add a writable layer of their own.',
  width: 720,
  height: 396,
  groups: [
    ...containers.map((name, i) => ({
      id: `c${i}`,
      x: 20 + i * 233,
      y: 16,
      w: 214,
      h: 108,
      label: `container ${name}`,
      kind: 'container' as const,
    })),
    {
      id: 'image',
      x: 20,
      y: 176,
      w: 680,
      h: 204,
      label: 'image my-web-service: read-only, shared',
      kind: 'image',
    },
  ],
  boxes: [
    ...containers.map(
      (_, i): Box => ({
        id: `w${i}`,
        x: 32 + i * 233,
        y: 48,
        w: 190,
        h: 62,
        title: 'writable layer',
        details: ['its own changes', 'deleted by docker rm'],
        kind: 'accent',
      }),
    ),
    {
      id: 'code',
      x: 40,
      y: 208,
      w: 640,
      h: 48,
      title: 'COPY . .',
      details: ["the service's code"],
      kind: 'layer',
    },
    {
      id: 'packages',
      x: 40,
      y: 264,
      w: 640,
      h: 48,
      title: 'COPY requirements.txt + RUN pip install',
      details: ['FastAPI, Uvicorn and the other packages'],
      kind: 'layer',
    },
    {
      id: 'base',
      x: 40,
      y: 320,
      w: 640,
      h: 48,
      title: 'FROM python:3.11-slim',
      details: ['base layers: Debian and Python'],
      kind: 'layer',
    },
  ],
  edges: containers.map((_, i) => ({ from: `c${i}`, to: 'image', straight: 'vertical' })),
  notes: [
    {
      x: 360,
      y: 152,
      text: 'each container sees the image’s files underneath its own writable layer',
      bg: true,
    },
  ],
  describe: [
    'The image my-web-service: read-only, shared by every container started from it. Its layers, newest on top: COPY . . (the service’s code); COPY requirements.txt + RUN pip install (FastAPI, Uvicorn and the other packages); FROM python:3.11-slim (base layers: Debian and Python).',
    'Three containers, container web-1, container web-2 and container web-3, all started from that one image. Each sees the image’s files underneath a writable layer of its own.',
    'A writable layer holds its own changes: files the container writes or changes. It survives docker stop and docker start, and is deleted by docker rm. No container can change the image.',
  ],
};

// --- Module 3: the Compose project of web and Redis ---------------------------------------

const composeNetwork: DiagramSpec = {
  id: 'compose-network',
  title: 'The app project: web and redis on rag-network',
  desc: 'The Compose project app with its services web and redis on the network app_rag-network; only web publishes a port to your machine.',
  width: 720,
  height: 392,
  groups: [
    {
      id: 'host',
      x: 12,
      y: 8,
      w: 696,
      h: 376,
      label: 'your machine (the sandbox shell)',
      kind: 'host',
    },
    {
      id: 'project',
      x: 32,
      y: 128,
      w: 656,
      h: 240,
      label: 'project app (folder /root/app)',
      kind: 'project',
    },
    {
      id: 'network',
      x: 48,
      y: 160,
      w: 624,
      h: 192,
      label: 'network app_rag-network (bridge)',
      kind: 'network',
    },
  ],
  boxes: [
    {
      id: 'port',
      x: 420,
      y: 36,
      w: 240,
      h: 48,
      title: 'localhost:8000',
      details: ['curl http://localhost:8000/health'],
      kind: 'accent',
    },
    {
      id: 'web',
      x: 420,
      y: 196,
      w: 240,
      h: 100,
      title: 'web',
      details: ['container app-web-1', 'listens on 8000', 'REDIS_HOST=redis'],
    },
    {
      id: 'redis',
      x: 70,
      y: 196,
      w: 220,
      h: 100,
      title: 'redis',
      details: ['container app-redis-1', 'listens on 6379', 'no ports: not published'],
    },
  ],
  edges: [
    {
      from: 'port',
      to: 'web',
      straight: 'vertical',
      label: 'ports: "8000:8000"',
      labelAt: [540, 108],
    },
    { from: 'web', to: 'redis', straight: 'horizontal', label: 'redis:6379' },
  ],
  notes: [
    {
      x: 360,
      y: 330,
      text: 'web finds redis by its service name: Docker’s DNS server at 127.0.0.11 answers',
    },
  ],
  describe: [
    'Your machine (the sandbox shell) reaches the web service at localhost:8000, for example with curl http://localhost:8000/health, because web publishes its port 8000 on port 8000 of your machine (ports: "8000:8000").',
    'The project app (folder /root/app) has one network, declared as rag-network and created as network app_rag-network (bridge). Both services are on it.',
    'web: container app-web-1, listens on 8000, and has REDIS_HOST=redis in its settings. It connects to redis:6379: Docker’s DNS server at 127.0.0.11 answers the service name redis with the address of the redis container.',
    'redis: container app-redis-1, listens on 6379, no ports: not published, so nothing outside Docker’s networks can reach it, and nothing needs to.',
  ],
};

// --- Module 4: Dagster in four services ---------------------------------------------------

const dagsterServices: DiagramSpec = {
  id: 'dagster-services',
  title: 'Dagster’s four services and what each waits for',
  desc: 'postgres and user-code have health checks; dagster-webserver and dagster-daemon start only once both are healthy. Only the webserver publishes a port.',
  width: 720,
  height: 436,
  groups: [
    {
      id: 'project',
      x: 20,
      y: 92,
      w: 680,
      h: 332,
      label: 'project dagster',
      kind: 'project',
      labelAlign: 'end',
    },
    {
      id: 'network',
      x: 36,
      y: 124,
      w: 648,
      h: 284,
      label: 'network dagster_network (created as dagster_dagster_network)',
      kind: 'network',
      labelAlign: 'end',
    },
  ],
  boxes: [
    {
      id: 'port',
      x: 48,
      y: 8,
      w: 170,
      h: 52,
      title: 'localhost:3000',
      details: ['your machine'],
      kind: 'accent',
    },
    {
      id: 'webserver',
      x: 48,
      y: 222,
      w: 170,
      h: 82,
      title: 'dagster-webserver',
      details: ['the UI, port 3000', 'published 3000:3000'],
    },
    {
      id: 'postgres',
      x: 262,
      y: 156,
      w: 216,
      h: 100,
      title: 'postgres',
      details: ['postgres:17', '5432, internal only', 'health: pg_isready'],
    },
    {
      id: 'user-code',
      x: 262,
      y: 272,
      w: 216,
      h: 100,
      title: 'user-code',
      details: [
        'my_dagster_image:latest',
        'gRPC on 4000, internal only',
        'health: grpc-health-check',
      ],
    },
    {
      id: 'daemon',
      x: 522,
      y: 222,
      w: 150,
      h: 82,
      title: 'dagster-daemon',
      details: ['background work', 'no port'],
    },
  ],
  edges: [
    {
      from: 'port',
      to: 'webserver',
      straight: 'vertical',
      label: '3000:3000',
      labelAt: [133, 76],
      dashed: true,
    },
    { from: 'webserver', to: 'postgres' },
    { from: 'webserver', to: 'user-code' },
    { from: 'daemon', to: 'postgres' },
    { from: 'daemon', to: 'user-code' },
  ],
  notes: [
    {
      x: 360,
      y: 396,
      text: 'solid arrows: depends_on with condition: service_healthy; dashed: the published port',
    },
  ],
  describe: [
    'localhost:3000 on your machine leads to dagster-webserver, which publishes 3000:3000. No other service publishes a port.',
    'The project dagster puts all four services on the network dagster_network (created as dagster_dagster_network), where they find each other by service name. Docker names a project’s network after the project and the network’s key in the file.',
    'postgres: image postgres:17, port 5432, internal only. Health check: pg_isready.',
    'user-code: image my_dagster_image:latest, built from the project, serving gRPC on port 4000, internal only. Health check: dagster api grpc-health-check -p 4000.',
    'dagster-webserver: the UI, port 3000, the same image my_dagster_image:latest. Its depends_on names postgres and user-code, each with condition: service_healthy, so it starts only once both are healthy.',
    'dagster-daemon: background work (schedules, sensors, the run queue), no port, the same image. Its depends_on names postgres and user-code with condition: service_healthy too.',
  ],
};

// --- Module 5: OCS split into projects ----------------------------------------------------

const ocsBox = (id: string, y: number, detail: string): Box => ({
  id,
  x: 36,
  y,
  w: 340,
  h: 46,
  title: id,
  details: [detail],
});

const ocsSplit: DiagramSpec = {
  id: 'ocs-split',
  title: 'Three Compose projects joined on ocs-net',
  desc: 'The projects core, web and ocs each have their own folder and lifecycle; their services meet on ocs-net, a network that no project owns.',
  width: 720,
  height: 500,
  groups: [
    {
      id: 'core',
      x: 20,
      y: 16,
      w: 480,
      h: 150,
      label: 'project core (ocs/core/)',
      kind: 'project',
    },
    { id: 'web', x: 20, y: 180, w: 480, h: 96, label: 'project web (ocs/web/)', kind: 'project' },
    {
      id: 'agents',
      x: 20,
      y: 290,
      w: 480,
      h: 200,
      label: 'project ocs (ocs/, the agents)',
      kind: 'project',
    },
  ],
  boxes: [
    ocsBox('influxdb', 50, 'influxdb:1.7, port 8086:8086'),
    ocsBox('crossbar', 106, 'WAMP router, port 127.0.0.1:8001:8001'),
    ocsBox('grafana', 214, 'dashboards, port 127.0.0.1:3000:3000'),
    ocsBox('ocs-aggregator', 324, 'agent: feeds into files in /data'),
    ocsBox('ocs-influx-publisher', 380, 'agent: feeds into InfluxDB'),
    ocsBox('ocs-LSA99ZZ', 436, 'network_mode: host, so not on ocs-net'),
    {
      id: 'net',
      x: 560,
      y: 16,
      w: 144,
      h: 474,
      title: 'ocs-net',
      details: ['external network,', 'made by hand:', 'docker network', 'create ocs-net'],
      kind: 'network',
    },
  ],
  edges: ['influxdb', 'crossbar', 'grafana', 'ocs-aggregator', 'ocs-influx-publisher'].map(
    (from) => ({ from, to: 'net', straight: 'horizontal', kind: 'link' }),
  ),
  describe: [
    'ocs-net: an external network, made by hand with docker network create ocs-net. No project owns it, so no docker compose down removes it. Each project’s file makes it its default network (name: ocs-net, external: true).',
    'project core (ocs/core/): influxdb (influxdb:1.7, port 8086:8086) and crossbar (the WAMP router, port 127.0.0.1:8001:8001), both on ocs-net.',
    'project web (ocs/web/): grafana (dashboards, port 127.0.0.1:3000:3000), on ocs-net.',
    'project ocs (ocs/, the agents): ocs-aggregator (feeds into files in /data) and ocs-influx-publisher (feeds into InfluxDB), both on ocs-net; ocs-LSA99ZZ has network_mode: host, so it is not on ocs-net.',
    'On ocs-net the names crossbar, influxdb and grafana resolve from the containers of every project.',
  ],
};

// --- Module 6: restart back-off -----------------------------------------------------------

/** Twelve runs that crash at once, one that lasts a minute, then two more quick crashes. */
const runs = [...Array.from({ length: 12 }, () => 500), 60_000, 500];
const delays = restartDelays(runs);
const resetAt = runs.findIndex((ms) => ms >= 10_000);

const restartBackoff: ChartSpec = {
  id: 'restart-backoff',
  title: 'Delay before each restart of a crashing container',
  desc: 'The delay starts at 100 ms and doubles with each restart until it reaches the 1 minute cap; after a run of 10 seconds or more it starts at 100 ms again.',
  width: 720,
  height: 330,
  xTitle: 'restart number',
  yTitle: 'delay before the restart (log scale)',
  yMax: 60,
  yLogMin: 0.05,
  yTicks: [0.1, 1, 10, 60].map((s) => ({ value: s, label: formatDelay(s * 1000) })),
  bars: delays.map((ms, i) => ({
    label: String(i + 1),
    value: ms / 1000,
    valueLabel: formatDelay(ms),
    tone: i === resetAt ? 'reset' : ms === 60_000 ? 'cap' : 'normal',
  })),
  markers: [{ after: resetAt - 1, label: `run ${resetAt + 1} lasted 10 s or more` }],
  describe: [
    ...delays.map((ms, i) => {
      const why =
        i === 0
          ? ' (the first delay)'
          : i === resetAt
            ? ' (back to the start: the run before it lasted 10 seconds or more)'
            : ms === 60_000
              ? ' (the cap: never more than 1 minute)'
              : ' (double the last)';
      return `Restart ${i + 1}: ${formatDelay(ms)}${why}.`;
    }),
  ],
};

export const diagrams = {
  'images-and-containers': imagesAndContainers,
  'compose-network': composeNetwork,
  'dagster-services': dagsterServices,
  'ocs-split': ocsSplit,
  'restart-backoff': restartBackoff,
} satisfies Record<string, AnySpec>;

export type DiagramName = keyof typeof diagrams;

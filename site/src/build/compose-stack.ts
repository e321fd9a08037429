/**
 * What a Compose file sets up, in the terms a diagram shows: per service, its project, the
 * ports it publishes, the networks it joins (by the names Docker gives them) and the services
 * it waits for. Read with the `yaml` package, as Compose reads it (anchors and `<<` merges).
 */
import { posix } from 'node:path';
import { parse } from 'yaml';

export interface StackService {
  project: string;
  /** Published ports as `[HOST_IP:]PUBLISHED:TARGET`, e.g. `8000:8000`, `127.0.0.1:8001:8001`. */
  ports: string[];
  /** The networks it joins, by their names on the machine (`app_rag-network`); none with `network_mode`. */
  networks: string[];
  /** `SERVICE:CONDITION` for each service it waits for, e.g. `postgres:service_healthy`. */
  dependsOn: string[];
}

export type Stack = Record<string, StackService>;

type Entries = Record<string, unknown>;
const asEntries = (v: unknown): Entries => (v && typeof v === 'object' ? (v as Entries) : {});
/** A Compose list or map of names (`networks`, `depends_on`) as [name, settings] pairs. */
const named = (v: unknown): Array<[string, Entries]> =>
  Array.isArray(v)
    ? v.map((n) => [String(n), {}])
    : Object.entries(asEntries(v)).map(([k, s]) => [k, asEntries(s)]);

function portOf(p: unknown): string {
  if (typeof p !== 'object' || p === null) return String(p).replace(/\/tcp$/, '');
  const { host_ip, published, target } = p as Entries;
  return `${host_ip ? `${host_ip}:` : ''}${published ?? ''}:${target}`;
}

/** The stack of the Compose file `text`, found in the folder `dir`. */
export function composeStack(text: string, dir: string): Stack {
  const file = asEntries(parse(text, { merge: true }));
  const project = typeof file.name === 'string' ? file.name : posix.basename(dir);
  const declared = asEntries(file.networks);
  const networkName = (key: string) => {
    const name = asEntries(declared[key]).name;
    return typeof name === 'string' ? name : `${project}_${key}`;
  };
  const stack: Stack = {};
  for (const [service, settings] of Object.entries(asEntries(file.services))) {
    const s = asEntries(settings);
    const networks = s.network_mode
      ? []
      : s.networks
        ? named(s.networks).map(([k]) => k)
        : ['default'];
    stack[service] = {
      project,
      ports: Array.isArray(s.ports) ? s.ports.map(portOf) : [],
      networks: networks.map(networkName),
      dependsOn: named(s.depends_on).map(
        ([k, c]) => `${k}:${typeof c.condition === 'string' ? c.condition : 'service_started'}`,
      ),
    };
  }
  return stack;
}

/** The file Compose picks in a folder, in its order of preference. */
export const COMPOSE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

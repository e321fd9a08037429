import type Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import { fromDockerLabels, LABEL, labelFilters } from '../labels.ts';
import type { SandboxEvent, SandboxInfo, SessionResources } from '../provider.ts';
import { SessionResourceSet } from '../session-resources.ts';
import { sandboxState } from './dind.ts';
import { call, engineCall, translateEngineError } from './engine-errors.ts';

/**
 * What one engine says about Slipway's sandboxes: their info, the resources labelled for an
 * instance, and their lifecycle events.
 */

/** Everything labelled for an instance, by sandbox session: what the reaper looks at. */
export async function listResources(
  docker: Docker,
  instance: string,
  signal: AbortSignal,
): Promise<SessionResources[]> {
  const label = labelFilters({ instance });
  const [containers, networks, volumes] = await engineCall('listing sandbox resources', () =>
    Promise.all([
      docker.listContainers({
        all: true,
        filters: { label },
        abortSignal: signal,
      } as Docker.ContainerListOptions),
      call<Docker.NetworkInspectInfo[]>(docker, 'listNetworks', {
        filters: { label },
        abortSignal: signal,
      }),
      call<{ Volumes: Docker.VolumeInspectInfo[] | null }>(docker, 'listVolumes', {
        filters: { label },
        abortSignal: signal,
      }),
    ]),
  );
  const found = new SessionResourceSet();
  const add = found.add.bind(found);
  for (const c of containers) {
    const kind = c.Labels?.[LABEL.kind] === 'checker' ? 'checker' : 'sandbox';
    add(c.Labels, kind, new Date(c.Created * 1000));
  }
  for (const n of networks) add(n.Labels, 'network', new Date(n.Created ?? Date.now()));
  for (const v of volumes.Volumes ?? [])
    add(
      v.Labels ?? undefined,
      'volume',
      new Date((v as { CreatedAt?: string }).CreatedAt ?? Date.now()),
    );
  return found.list();
}

/** The instance's sandboxes' lifecycle events (die, oom, destroy) until the signal aborts. */
export async function* watchEvents(
  docker: Docker,
  instance: string,
  signal: AbortSignal,
): AsyncIterable<SandboxEvent> {
  const stream = (await engineCall('watching sandbox events', () =>
    call<NodeJS.ReadableStream>(docker, 'getEvents', {
      filters: {
        type: ['container'],
        event: ['die', 'oom', 'destroy'],
        label: [...labelFilters({ instance: instance }), 'slipway.kind=sandbox'],
      },
      abortSignal: signal,
    }),
  )) as NodeJS.ReadableStream;
  let buffered = '';
  try {
    for await (const chunk of stream) {
      buffered += chunk.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        const event = line ? toEvent(JSON.parse(line)) : undefined;
        if (event) yield event;
      }
    }
  } catch (err) {
    if (!signal.aborted) throw translateEngineError(err, 'watching sandbox events');
  }
}

export function toInfo(c: Docker.ContainerInspectInfo): SandboxInfo {
  const labels = fromDockerLabels(c.Config.Labels);
  if (!labels) throw slipwayError('SANDBOX_GONE');
  const s = c.State;
  return {
    id: c.Name.replace(/^\//, ''),
    labels,
    state: sandboxState(s.Status),
    createdAt: new Date(c.Created),
    ...(s.Running || s.Status === 'created'
      ? {}
      : {
          exit: {
            code: s.ExitCode,
            oomKilled: s.OOMKilled,
            ...(s.Error ? { error: s.Error } : {}),
          },
        }),
  };
}

interface EngineEvent {
  Action?: string;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

function toEvent(e: EngineEvent): SandboxEvent | undefined {
  const attrs = e.Actor?.Attributes ?? {};
  const labels = fromDockerLabels(attrs);
  if (!labels) return undefined;
  const id = attrs.name ?? e.Actor?.ID ?? '';
  const at = new Date((e.time ?? Date.now() / 1000) * 1000);
  switch (e.Action) {
    case 'die':
      return { kind: 'died', id, labels, exitCode: Number(attrs.exitCode ?? -1), at };
    case 'oom':
      return { kind: 'oom', id, labels, at };
    case 'destroy':
      return { kind: 'destroyed', id, labels, at };
    default:
      return undefined;
  }
}

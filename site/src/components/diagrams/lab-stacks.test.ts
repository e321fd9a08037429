/**
 * A diagram of a lab's stack against that lab's real files: the compose files its setup and
 * solutions write (replayed, not run) must set up the stack of lab-stacks.ts, and the picture
 * must show that stack. Either one drifting from the other fails here.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCourseImages } from '../../../../lab-runner/src/labs/course-images.ts';
import { loadLabs } from '../../../../lab-runner/src/labs/load-labs.ts';
import { COMPOSE_FILES, composeStack, type Stack } from '../../build/compose-stack.ts';
import { replayFiles } from '../../build/replay-files.ts';
import { diagrams } from './catalogue.ts';
import { type LabStack, labStacks } from './lab-stacks.ts';
import type { Box, DiagramSpec, Group } from './svg.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const labs = loadLabs(join(root, 'labs'), loadCourseImages(join(root, 'images')), root).labs;

/** The services the lab's compose files set up once `afterTask` is solved. */
function labStack(s: LabStack): Stack {
  const lab = labs.get(s.lab);
  if (!lab) throw new Error(`no lab ${s.lab}`);
  const last = lab.tasks.findIndex((t) => t.id === s.afterTask);
  if (last < 0) throw new Error(`${s.lab} has no task ${s.afterTask}`);
  const files = replayFiles(lab.setupScript ?? '');
  for (const task of lab.tasks.slice(0, last + 1)) replayFiles(task.solution, files);
  const stack: Stack = {};
  for (const dir of Object.values(s.projects)) {
    const file = COMPOSE_FILES.map((f) => `${dir}/${f}`).find((f) => files.has(f));
    if (!file) throw new Error(`${s.lab}: no compose file in ${dir} after ${s.afterTask}`);
    const text = files.get(file);
    if (text == null)
      throw new Error(`${s.lab}: ${file} is changed by a line that cannot be replayed`);
    for (const [name, service] of Object.entries(composeStack(text, dir))) {
      if (stack[name]) throw new Error(`${s.lab}: two projects have a service ${name}`);
      stack[name] = service;
    }
  }
  return stack;
}

const inside = (b: Box, g: Group) =>
  b.x >= g.x && b.y >= g.y && b.x + b.w <= g.x + g.w && b.y + b.h <= g.y + g.h;
const PORT = /(?:\d{1,3}(?:\.\d{1,3}){3}:)?\d+:\d+/g;
const sorted = (xs: Iterable<string>) => [...xs].sort();
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the picture shows of each service box, in the terms of a Stack. */
function depicted(spec: DiagramSpec, s: LabStack) {
  const byId = new Map(spec.boxes.map((b) => [b.id, b]));
  const services = spec.boxes.filter((b) => (b.kind ?? 'service') === 'service');
  return services.map((box) => {
    const projects = spec.groups.filter((g) => g.kind === 'project' && inside(box, g));
    const networkLabels = [
      ...spec.groups.filter((g) => g.kind === 'network' && inside(box, g)).map((g) => g.label),
      ...spec.edges
        .filter((e) => e.kind === 'link' && (e.from === box.id || e.to === box.id))
        .map((e) => byId.get(e.from === box.id ? e.to : e.from))
        .filter((b) => b?.kind === 'network')
        .map((b) => b?.title ?? ''),
    ];
    const portTexts = [
      ...(box.details ?? []),
      ...spec.edges.filter((e) => e.to === box.id && e.label).map((e) => e.label ?? ''),
    ];
    const arrowsTo = spec.edges
      .filter((e) => e.from === box.id && !e.dashed && byId.get(e.to)?.kind === undefined)
      .map((e) => byId.get(e.to)?.title ?? '');
    return {
      name: box.title,
      projectLabels: projects.map((g) => g.label),
      networkLabels,
      ports: sorted(new Set(portTexts.flatMap((t) => t.match(PORT) ?? []))),
      arrowsTo: sorted(arrowsTo),
      declared: s.services[box.title] ?? { project: '?', ports: [], networks: [], dependsOn: [] },
    };
  });
}

describe.each(Object.entries(labStacks))('the diagram %s', (name, s) => {
  const spec = diagrams[name as keyof typeof diagrams] as DiagramSpec;

  it(`is the stack that lab ${s.lab} sets up`, () => {
    const expected: Stack = { ...s.services };
    for (const [service, asInLab] of Object.entries(s.labDiffers?.services ?? {})) {
      // A difference that is no longer one is stale: the picture and the lab agree there.
      expect(asInLab, `labDiffers.${service} is what the picture shows`).not.toEqual(
        s.services[service],
      );
      if (asInLab) expected[service] = asInLab;
      else delete expected[service];
    }
    expect(labStack(s)).toEqual(expected);
  });

  it('shows each service in its project, on its networks, with its ports', () => {
    const shown = depicted(spec, s);
    expect(sorted(shown.map((b) => b.name))).toEqual(sorted(Object.keys(s.services)));
    for (const b of shown) {
      const svc = b.declared;
      const folder = (s.projects[svc.project] ?? '?').replace(/^\/root\//, '');
      expect(b.projectLabels, b.name).toHaveLength(1);
      expect(b.projectLabels[0], b.name).toMatch(
        new RegExp(`^project ${reEscape(svc.project)}\\b`),
      );
      expect(b.projectLabels[0], b.name).toContain(folder);
      expect(b.networkLabels, b.name).toHaveLength(svc.networks.length);
      for (const n of svc.networks)
        expect(
          b.networkLabels.some((l) => new RegExp(`(^|[\\s,(])${reEscape(n)}\\b`).test(l)),
          `${b.name} on ${n}`,
        ).toBe(true);
      expect(b.ports, `${b.name}'s published ports`).toEqual(sorted(svc.ports));
      for (const p of svc.ports) expect(spec.describe.join('\n'), b.name).toContain(p);
    }
  });

  if (s.arrows === 'depends_on')
    it('draws an arrow for each depends_on, and no other', () => {
      for (const b of depicted(spec, s))
        expect(b.arrowsTo, b.name).toEqual(
          sorted(b.declared.dependsOn.map((d) => d.replace(/:.*/, ''))),
        );
    });
});

import { z } from 'zod';

/**
 * Requests the runner sends to a cluster node's agent (lab-runner/src/agent/), one schema per
 * route. The agent parses every body with these, and refuses anything that does not match.
 */
const container = z.string().regex(/^[a-f0-9]{12,64}$/, { error: 'must be a container id' });
const execId = z.string().regex(/^[a-f0-9]{64}$/, { error: 'must be an exec id' });
const dimension = z.int().min(1).max(10_000);
const env = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional();
const timeoutMs = z.int().positive().max(1_800_000).optional();
const courseImage = z.strictObject({
  name: z.string().min(1),
  source: z.string().min(1),
  tags: z.array(z.string().min(1)),
});

export const agentExecSchema = z.strictObject({
  container,
  cmd: z.array(z.string()).min(1),
  env,
  user: z.string().min(1).optional(),
  workdir: z.string().min(1).optional(),
  in: z.enum(['sandbox', 'checker']).optional(),
  sandboxProcesses: z.boolean().optional(),
  stdin: z.string().optional(),
  maxOutputBytes: z
    .int()
    .positive()
    .max(16 * 1024 * 1024)
    .optional(),
  timeoutMs,
});

export const agentTerminalSchema = z.strictObject({
  container,
  cmd: z.array(z.string()).min(1),
  cols: dimension,
  rows: dimension,
  env,
  workdir: z.string().min(1).optional(),
  user: z.string().min(1),
});

export const agentResizeSchema = z.strictObject({
  terminal: execId,
  cols: dimension,
  rows: dimension,
});
export const agentTerminalStateSchema = z.strictObject({ terminal: execId });
export const agentPortSchema = z.strictObject({ container, port: z.int().min(1).max(65_535) });
export const agentContainerSchema = z.strictObject({ container, timeoutMs });
export const agentLoadImagesSchema = z.strictObject({
  container,
  images: z.array(courseImage),
  timeoutMs,
});
export const agentHandOverSchema = z.strictObject({
  container,
  images: z.array(courseImage).optional(),
  seedSpec: z
    .strictObject({
      image: z.string().min(1),
      memoryBytes: z.int().positive(),
      pids: z.int().positive(),
      cpus: z.number().positive(),
    })
    .optional(),
  signal: z.boolean().optional(),
  timeoutMs,
});
export const agentVolumesSchema = z.strictObject({
  instance: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
});
export const agentVolumeSchema = z.strictObject({
  volume: z.string().regex(/^slipway-(docker|home)-[a-z0-9-]{1,64}$/, {
    error: 'must be a sandbox volume name',
  }),
});

/** Streams a line per change the sandbox's engine reports, until the caller hangs up. */
export const agentActivitySchema = z.strictObject({ container });

/** Every route of the agent and the schema of its body. */
export const agentRoutes = {
  '/v1/exec': agentExecSchema,
  '/v1/terminal': agentTerminalSchema,
  '/v1/terminal/resize': agentResizeSchema,
  '/v1/terminal/state': agentTerminalStateSchema,
  '/v1/port': agentPortSchema,
  '/v1/stats': agentContainerSchema,
  '/v1/disk': agentContainerSchema,
  '/v1/load-images': agentLoadImagesSchema,
  '/v1/hand-over': agentHandOverSchema,
  '/v1/volumes/list': agentVolumesSchema,
  '/v1/volumes/remove': agentVolumeSchema,
  '/v1/activity': agentActivitySchema,
} as const;

export type AgentRoute = keyof typeof agentRoutes;
export type AgentRequest<R extends AgentRoute> = z.output<(typeof agentRoutes)[R]>;

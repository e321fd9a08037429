/**
 * A cluster node's agent (see agent-server.ts), run on every node beside its engine by
 * scripts/join-cluster.sh (and by the test cluster): `node lab-runner/src/agent/main.ts`.
 */
import Docker from 'dockerode';
import { z } from 'zod';
import { consoleLogger } from '../errors/log.ts';
import { formatProblems, friendlyParse } from '../protocol/index.ts';
import { DockerSandboxProvider } from '../sandbox/docker/docker-provider.ts';
import { createAgentServer } from './agent-server.ts';
import { loadCredentials } from './credentials.ts';

const settingsSchema = z.object({
  SLIPWAY_AGENT_SOCKET: z.string().min(1).default('/run/slipway/docker.sock'),
  /** The node's own address on the cluster network: the agent listens there only. */
  SLIPWAY_AGENT_ADDRESS: z.string().min(1),
  SLIPWAY_AGENT_PORT: z.coerce.number().int().min(1).max(65_535).default(7443),
  SLIPWAY_AGENT_TLS_DIR: z.string().min(1).default('/var/lib/slipway/cluster/tls'),
  SLIPWAY_AGENT_NODE: z.string().min(1).default('node'),
  SLIPWAY_ISOLATION: z.enum(['userns', 'rootless']).default('userns'),
});

const parsed = friendlyParse(settingsSchema, process.env);
if (!parsed.ok) {
  process.stderr.write(
    `invalid agent settings:\n${formatProblems('environment', parsed.problems)}\n`,
  );
  process.exit(2);
}
const s = parsed.value;
const logger = consoleLogger(`agent:${s.SLIPWAY_AGENT_NODE}`);
// Seeds are built by plain containers on this node's engine, labelled for the agent.
const local = new DockerSandboxProvider({
  socketPath: s.SLIPWAY_AGENT_SOCKET,
  instance: 'node-agent',
  isolation: s.SLIPWAY_ISOLATION,
  logger,
});
const server = createAgentServer({
  host: local.host,
  docker: new Docker({ socketPath: s.SLIPWAY_AGENT_SOCKET }),
  credentials: loadCredentials(s.SLIPWAY_AGENT_TLS_DIR, 'agent'),
  logger,
});
server.listen(s.SLIPWAY_AGENT_PORT, s.SLIPWAY_AGENT_ADDRESS, () => {
  process.stdout.write(
    `slipway agent for ${s.SLIPWAY_AGENT_NODE} listening on ${s.SLIPWAY_AGENT_ADDRESS}:${s.SLIPWAY_AGENT_PORT}\n`,
  );
});
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.once(sig, () => server.close(() => process.exit(0)));

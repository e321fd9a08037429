import { loadCredentials } from '../agent/credentials.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../errors/log.ts';
import { DockerSandboxProvider } from './docker/docker-provider.ts';
import type { SandboxProvider } from './provider.ts';
import { SwarmSandboxProvider } from './swarm/swarm-provider.ts';

/** What building a provider needs from the configuration. */
export type ProviderConfig = Pick<
  Config,
  | 'provider'
  | 'dockerSocket'
  | 'instance'
  | 'isolation'
  | 'mirrorContainer'
  | 'imageSeeds'
  | 'checkMode'
  | 'agentTlsDir'
  | 'agentPort'
>;

/**
 * The one place a SandboxProvider is built from configuration (SLIPWAY_PROVIDER): the runner,
 * labs:test, the benches and the tests all come through here, so they cannot disagree.
 */
export function createSandboxProvider(config: ProviderConfig, logger?: Logger): SandboxProvider {
  switch (config.provider) {
    case 'docker':
      return new DockerSandboxProvider({
        socketPath: config.dockerSocket,
        instance: config.instance,
        isolation: config.isolation,
        mirrorContainer: config.mirrorContainer,
        imageSeeds: config.imageSeeds,
        checkerMode: config.checkMode,
        logger,
      });
    case 'swarm':
      return new SwarmSandboxProvider({
        socketPath: config.dockerSocket,
        instance: config.instance,
        credentials: loadCredentials(config.agentTlsDir, 'runner'),
        agentPort: config.agentPort,
        imageSeeds: config.imageSeeds,
        logger,
      });
  }
}

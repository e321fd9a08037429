import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The cluster's mutual TLS: one CA (made by scripts/cluster-credentials.sh) signs the agents'
 * server certificate (name `slipway-agent`) and the runner's client certificate. An agent
 * answers only a client with a certificate of that CA; the runner talks only to a server with
 * one. The folder holds ca.pem and <who>.pem / <who>-key.pem.
 */
export interface Credentials {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** The name in every agent's certificate; the runner checks it whatever address it dials. */
export const AGENT_SERVER_NAME = 'slipway-agent';

export function loadCredentials(dir: string, who: 'agent' | 'runner'): Credentials {
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f));
    } catch (err) {
      throw new Error(
        `the cluster credentials are missing ${join(dir, f)} (scripts/cluster-credentials.sh makes them): ${(err as Error).message}`,
      );
    }
  };
  return { ca: read('ca.pem'), cert: read(`${who}.pem`), key: read(`${who}-key.pem`) };
}

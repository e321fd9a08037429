/**
 * The Compose stacks that diagrams of the catalogue depict, and the lab whose files set each
 * one up. lab-stacks.test.ts holds both ends to them: the lab's files (its setup and the
 * solutions up to `afterTask`, replayed) must set up exactly this stack, and the diagram must
 * show exactly these services, projects, networks, published ports and (where its arrows
 * mean depends_on) dependencies. Change a lab's files, and this and the picture change too.
 */
import type { Stack, StackService } from '../../build/compose-stack.ts';
import type { DiagramName } from './catalogue.ts';

export interface LabStack {
  lab: string;
  /** The task whose solution leaves the files the picture shows. */
  afterTask: string;
  /** Each project's folder in the sandbox. */
  projects: Record<string, string>;
  services: Stack;
  /** `depends_on`: arrows between services are exactly its dependencies. `other`: they show something else. */
  arrows: 'depends_on' | 'other';
  /**
   * Where the lab deliberately differs from the picture (which follows its lesson): services
   * as the lab has them, `null` for one the lab leaves out, and why.
   */
  labDiffers?: { services: Record<string, StackService | null>; why: string };
}

const service = (
  project: string,
  networks: string[],
  more: Partial<StackService> = {},
): StackService => ({ project, ports: [], networks, dependsOn: [], ...more });

const dagsterNet = ['dagster_dagster_network'];
const dagsterWaits = ['postgres:service_healthy', 'user-code:service_healthy'];

export const labStacks: Partial<Record<DiagramName, LabStack>> = {
  'compose-network': {
    lab: 'compose-networking',
    afterTask: 'rag-network',
    projects: { app: '/root/app' },
    services: {
      web: service('app', ['app_rag-network'], { ports: ['8000:8000'] }),
      redis: service('app', ['app_rag-network']),
    },
    arrows: 'other',
  },
  'dagster-services': {
    lab: 'dagster-services',
    afterTask: 'daemon',
    projects: { dagster: '/root/dagster' },
    services: {
      postgres: service('dagster', dagsterNet),
      'user-code': service('dagster', dagsterNet),
      'dagster-webserver': service('dagster', dagsterNet, {
        ports: ['3000:3000'],
        dependsOn: dagsterWaits,
      }),
      'dagster-daemon': service('dagster', dagsterNet, { dependsOn: dagsterWaits }),
    },
    arrows: 'depends_on',
  },
  'ocs-split': {
    lab: 'ocs-split',
    afterTask: 'agents',
    projects: { core: '/root/ocs/core', web: '/root/ocs/web', ocs: '/root/ocs' },
    services: {
      influxdb: service('core', ['ocs-net'], { ports: ['8086:8086'] }),
      crossbar: service('core', ['ocs-net'], { ports: ['127.0.0.1:8001:8001'] }),
      grafana: service('web', ['ocs-net'], { ports: ['127.0.0.1:3000:3000'] }),
      'ocs-aggregator': service('ocs', ['ocs-net']),
      'ocs-influx-publisher': service('ocs', ['ocs-net']),
      'ocs-LSA99ZZ': service('ocs', []),
    },
    arrows: 'other',
    labDiffers: {
      services: {
        grafana: service('web', ['ocs-net'], { ports: ['3000:3000'] }),
        'ocs-LSA99ZZ': null,
        'ocs-fake-data': service('ocs', ['ocs-net']),
      },
      why: 'the lab publishes Grafana on all addresses, for the preview button to reach it, and its sandbox has no thermometer bridge: FakeDataAgent stands in for the Lakeshore agent (03-split-lab.mdx says both)',
    },
  },
};

import { describe, expect, it } from 'vitest';
import { composeStack } from './compose-stack.ts';

describe('composeStack', () => {
  it('reads ports, networks by their real names and depends_on, in short and long forms', () => {
    const stack = composeStack(
      `
x-env: &env { A: "1" }
networks:
  back: {}
  shared: { name: shared-net, external: true }
services:
  web:
    environment: { <<: *env }
    ports: ["8000:8000", "127.0.0.1:9000:9000/tcp"]
    networks: [back, shared]
    depends_on: [db]
  db:
    ports:
      - { target: 5432, published: "5433", host_ip: 127.0.0.1 }
    networks: { back: { aliases: [database] } }
    depends_on: { cache: { condition: service_healthy } }
  cache: {}
  probe: { network_mode: host }
`,
      '/root/app',
    );
    expect(stack).toEqual({
      web: {
        project: 'app',
        ports: ['8000:8000', '127.0.0.1:9000:9000'],
        networks: ['app_back', 'shared-net'],
        dependsOn: ['db:service_started'],
      },
      db: {
        project: 'app',
        ports: ['127.0.0.1:5433:5432'],
        networks: ['app_back'],
        dependsOn: ['cache:service_healthy'],
      },
      cache: { project: 'app', ports: [], networks: ['app_default'], dependsOn: [] },
      probe: { project: 'app', ports: [], networks: [], dependsOn: [] },
    });
  });

  it('takes the project name from name: before the folder', () => {
    expect(composeStack('name: site\nservices: { a: {} }', '/root/app').a).toMatchObject({
      project: 'site',
      networks: ['site_default'],
    });
  });
});

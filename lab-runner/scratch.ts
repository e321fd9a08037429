import { randomBytes } from 'node:crypto';
import { loadConfig } from './src/config.ts';
import { loadCourseImages } from './src/labs/course-images.ts';
import { loadLabs } from './src/labs/load-labs.ts';
import { DockerSandboxProvider } from './src/sandbox/docker/docker-provider.ts';
import { provisionSandbox, provisionSettings } from './src/sessions/provision.ts';

const config = loadConfig(process.env);
const provider = new DockerSandboxProvider({
  socketPath: config.dockerSocket,
  instance: 'scratch',
});
const lab = loadLabs(config.labsDir, loadCourseImages(config.imagesDir)).labs.get(
  'first-containers',
)!;
const sb = await provisionSandbox(
  provider,
  { ...lab, setupScript: undefined },
  { instance: 'scratch', learner: 'x', lab: 'x', session: randomBytes(4).toString('hex') },
  provisionSettings(config),
);
const script = process.argv[2]!;
const r = await provider.exec(
  sb.id,
  { cmd: ['bash', '-c', script], maxOutputBytes: 100000 },
  { timeoutMs: 300000 },
);
console.log(r.stdout, r.stderr, r.exitCode);
await provider.destroy(sb.id);

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SandboxInfo } from '../../src/sandbox/provider.ts';
import { waitUntilEngineReady } from '../../src/sandbox/readiness.ts';
import { newInstance, sweep, testProvider } from './engine.ts';

/**
 * The classroom mirror is shared by every sandbox, so it must be read-only from inside them:
 * otherwise learner B pushes a poisoned `library/nginx:latest` and learner A pulls it. Every
 * request here goes from a sandbox this test starts to the mirror attached to its network.
 * Should the mirror ever accept the poisoned manifest again, the test puts the real one back
 * at once (and fails).
 */
const instance = newInstance('mirror');
const provider = testProvider(instance);
const digestsFile = process.env.SLIPWAY_MIRROR_DIGESTS ?? '/var/lib/slipway/mirror-digests.tsv';
const courseDir = join(import.meta.dirname, '../../../images/course');

async function sandbox(name: string): Promise<SandboxInfo> {
  const info = await provider.create({
    labels: {
      instance,
      learner: `mirror-${name}`,
      lab: 'mirror',
      session: randomBytes(6).toString('hex'),
    },
    image: 'slipway/sandbox:latest',
    hostname: name,
    limits: { memoryBytes: 1024 ** 3, pids: 1000, cpus: 1 },
  });
  await waitUntilEngineReady(provider, info.id, { timeoutMs: 60_000 });
  return info;
}
const sh = (id: string, script: string, timeoutMs = 60_000) =>
  provider.exec(id, { cmd: ['bash', '-c', script], maxOutputBytes: 262_144 }, { timeoutMs });

/**
 * Every write a registry client can make, each one complete and valid (real blobs, a real
 * manifest referring to them), so a writable registry would accept it. Prints one line per
 * attempt: `<name> <HTTP status> <registry error code or ->`.
 */
const ATTACKS = String.raw`
set -u
M=http://mirror:5000
ACCEPT='Accept: application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'
w=$(mktemp -d); cd "$w"
# try NAME CURL-ARGS...: one request; prints its status and registry error code, keeps its
# headers, leaves its status in $last.
try() {
  local name=$1; shift
  local status
  status=$(curl -s -m 20 -D "$name.h" -o "$name.body" -w '%{http_code}' "$@") || status=000
  local code; code=$(sed -n 's/.*"code": *"\([A-Z_]*\)".*/\1/p' "$name.body" | head -n 1)
  [ -n "$code" ] || code=-
  last=$status
  echo "$name $status $code"
}
location() { tr -d '\r' <"$1.h" | sed -n 's/^[Ll]ocation: *//p' | tail -n 1; }
absolute() { case "$1" in http*) echo "$1" ;; /*) echo "$M$1" ;; *) echo "$2" ;; esac; }
with() { case "$1" in *\?*) echo "$1&$2" ;; *) echo "$1?$2" ;; esac; }

# A poisoned image: one layer with a marker file, its config, its manifest.
mkdir layer && echo poisoned >layer/POISONED
tar -C layer -cf layer.tar POISONED && gzip -nc layer.tar >layer.tgz
diffid=$(sha256sum layer.tar | cut -d' ' -f1)
layer=$(sha256sum layer.tgz | cut -d' ' -f1); layer_size=$(stat -c %s layer.tgz)
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["cat","/POISONED"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diffid" >config.json
config=$(sha256sum config.json | cut -d' ' -f1); config_size=$(stat -c %s config.json)
printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,"digest":"sha256:%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%s,"digest":"sha256:%s"}]}' \
  "$config_size" "$config" "$layer_size" "$layer" >manifest.json
manifest=$(sha256sum manifest.json | cut -d' ' -f1)
fake=$M/v2/it-poison/blobs/uploads/00000000-0000-4000-8000-000000000000

# Blob upload, chunked: POST starts it, PATCH sends the bytes, PUT ends it.
try upload_post -X POST "$M/v2/it-poison/blobs/uploads/"
url=$(absolute "$(location upload_post)" "$fake")
try upload_patch -X PATCH -H 'Content-Type: application/octet-stream' --data-binary @layer.tgz "$url"
url=$(absolute "$(location upload_patch)" "$url")
try upload_put -X PUT -H 'Content-Type: application/octet-stream' "$(with "$url" "digest=sha256:$layer")"
# Blob upload, monolithic: one POST with the digest and the bytes (a registry that does not
# take those starts an upload instead), or one PUT with all of them.
try upload_monolithic_post -X POST -H 'Content-Type: application/octet-stream' --data-binary @config.json \
  "$M/v2/it-poison/blobs/uploads/?digest=sha256:$config"
url=$(absolute "$(location upload_monolithic_post)" "$fake")
try upload_monolithic_put -X PUT -H 'Content-Type: application/octet-stream' --data-binary @config.json \
  "$(with "$url" "digest=sha256:$config")"
# Cross-repository mount into the repository learners pull from.
try mount_layer -X POST "$M/v2/library/nginx/blobs/uploads/?mount=sha256:$layer&from=it-poison"
try mount_config -X POST "$M/v2/library/nginx/blobs/uploads/?mount=sha256:$config&from=it-poison"

# The real library/nginx:latest, to put back should the poisoned one be accepted.
curl -s -m 20 -H "$ACCEPT" -D orig.h -o orig.json "$M/v2/library/nginx/manifests/latest"
orig_type=$(tr -d '\r' <orig.h | sed -n 's/^[Cc]ontent-[Tt]ype: *//p' | tail -n 1)
try manifest_put_nginx -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
  --data-binary @manifest.json "$M/v2/library/nginx/manifests/latest"
case $last in
  2*) try restored_nginx -X PUT -H "Content-Type: $orig_type" --data-binary @orig.json "$M/v2/library/nginx/manifests/latest" >&2 ;;
esac
try manifest_put_poison -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
  --data-binary @manifest.json "$M/v2/it-poison/manifests/latest"

# Deletes: a manifest by digest, a blob.
try manifest_delete -X DELETE "$M/v2/it-poison/manifests/sha256:$manifest"
try blob_delete -X DELETE "$M/v2/it-poison/blobs/sha256:$config"

# Listings: nothing needs them, and they tell one learner what others may have pushed.
try catalog "$M/v2/_catalog"
try tags_list "$M/v2/library/nginx/tags/list"
`;

let a: SandboxInfo;
let b: SandboxInfo;
beforeAll(async () => {
  [a, b] = await Promise.all([sandbox('mirror-a'), sandbox('mirror-b')]);
});
afterAll(() => sweep(instance));

describe('the classroom mirror, from inside a sandbox', () => {
  it('is reachable under its alias', async () => {
    // The mirror is connected to the sandbox network as create() returns; DNS may lag.
    await vi.waitFor(
      async () => {
        const r = await sh(
          a.id,
          `curl -s -m 3 -o /dev/null -w '%{http_code}' http://mirror:5000/v2/`,
        );
        expect(r.stdout).toBe('200');
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('refuses every write, delete and listing', async () => {
    const r = await sh(a.id, ATTACKS);
    const attempts = r.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [name, status, code] = line.split(' ');
        return { name: name!, status: Number(status), code: code! };
      });
    console.table(attempts);
    expect(attempts.map((x) => x.name)).toEqual([
      'upload_post',
      'upload_patch',
      'upload_put',
      'upload_monolithic_post',
      'upload_monolithic_put',
      'mount_layer',
      'mount_config',
      'manifest_put_nginx',
      'manifest_put_poison',
      'manifest_delete',
      'blob_delete',
      'catalog',
      'tags_list',
    ]);
    const accepted = attempts.filter((x) => x.status < 400 || x.status >= 500);
    expect(accepted, 'requests the mirror did not refuse').toEqual([]);
    // Refused as a matter of policy, not because something was missing or malformed.
    for (const x of attempts) expect(x, x.name).toMatchObject({ code: 'DENIED' });
    const writes = attempts.filter((x) => !['catalog', 'tags_list'].includes(x.name));
    for (const x of writes) expect(x, x.name).toMatchObject({ status: 405 });
    expect(r.stderr, 'the poisoned library/nginx:latest was accepted (and put back)').toBe('');
  });

  it('makes `docker push` fail, and nothing arrives', async () => {
    const push = await sh(
      a.id,
      `set -e
       d=$(mktemp -d); echo evil >"$d/EVIL"
       tar -C "$d" -c EVIL | docker import - mirror:5000/library/evil:latest >/dev/null
       docker push mirror:5000/library/evil:latest`,
    );
    expect(push.exitCode, push.stdout).not.toBe(0);
    expect(push.stderr).toMatch(/denied|read-only|405|not allowed/i);
    const after = await sh(
      a.id,
      `curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' http://mirror:5000/v2/library/evil/manifests/latest`,
    );
    expect(after.stdout).toBe('404');
  });

  it('serves every course image, exactly as the build pushed it', async () => {
    expect(
      existsSync(digestsFile),
      `${digestsFile} is missing: the image build (images/build.sh) writes it when it pushes the course images`,
    ).toBe(true);
    const pushed = new Map(
      readFileSync(digestsFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.split('\t') as [string, string]),
    );
    for (const [ref, digest] of pushed) expect(digest, ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Every learner-facing tag of every course image was pushed (and recorded).
    const repoOf = (tag: string) => (tag.includes('/') ? tag : `library/${tag}`);
    const wanted = readdirSync(courseDir).flatMap((name) => {
      const file = join(courseDir, name, 'tags');
      if (!existsSync(file)) return [`${name}:latest`];
      return readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    });
    expect(wanted.length).toBeGreaterThan(0);
    expect(wanted.map(repoOf).filter((ref) => !pushed.has(ref))).toEqual([]);

    const started = Date.now();
    const results: { image: string; ok: boolean; detail: string }[] = [];
    for (const [ref, digest] of pushed) {
      const image = ref.replace(/^library\//, '');
      const repo = image.slice(0, image.lastIndexOf(':'));
      const r = await sh(
        b.id,
        `docker pull -q '${image}' >/dev/null && docker image inspect --format '{{join .RepoDigests " "}}' '${image}'`,
        300_000,
      );
      const repoDigests = r.stdout.trim().split(' ');
      results.push({
        image,
        ok: r.exitCode === 0 && repoDigests.includes(`${repo}@${digest}`),
        detail: r.exitCode === 0 ? r.stdout.trim() : r.stderr.trim(),
      });
    }
    console.log(
      `pulled ${results.length} tags through the mirror in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(results.length).toBe(pushed.size);
    expect(results.filter((x) => !x.ok)).toEqual([]);
  }, 900_000);
});

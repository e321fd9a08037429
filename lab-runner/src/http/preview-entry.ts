import type { IncomingMessage, ServerResponse } from 'node:http';
import { asSlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { PreviewTokens } from '../identity/preview-tokens.ts';
import type { LoadedLabs } from '../labs/load-labs.ts';
import { findLab } from './api.ts';
import type { Identity } from './identity.ts';
import { type Origins, siteOriginOf } from './origins.ts';
import { parsePreviewPath } from './preview-paths.ts';
import { learnerSandbox, type PreviewProxyDeps, sendPreviewError } from './preview-proxy.ts';

export interface PreviewEntryDeps extends PreviewProxyDeps {
  labs: LoadedLabs;
  identity: Identity;
  previewTokens: PreviewTokens;
  origins: () => Origins;
}

/** The path on the preview origin that trades an entry token for a preview cookie. */
export const ENTER_PATH = '/__slipway/enter';

/**
 * `/preview/<lab>/<port>/...` on the SITE's origin serves nothing of the app: it checks who
 * the learner is, and sends them to the preview origin with a one-minute entry token for
 * their own sandbox. The app then runs on an origin that holds no Slipway authority: it cannot
 * call the API, open a terminal, or read the site's cookies. Returns false for other paths.
 */
export async function handlePreviewEntry(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PreviewEntryDeps,
): Promise<boolean> {
  const target = parsePreviewPath(req.url ?? '/');
  if (!target) return false;
  if (target.needsSlash) {
    const q = (req.url ?? '').indexOf('?');
    res
      .writeHead(308, { location: `${target.prefix}/${q < 0 ? '' : (req.url ?? '').slice(q)}` })
      .end();
    return true;
  }
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
    const learnerId = deps.identity.read(req);
    if (!learnerId) throw slipwayError('NOT_SIGNED_IN');
    findLab(deps.labs, target.labId);
    const sandboxId = await learnerSandbox(learnerId, target.labId, deps);
    if (!sandboxId) throw slipwayError('PREVIEW_NO_SANDBOX');
    const token = deps.previewTokens.entry({
      learnerId,
      labId: target.labId,
      sandboxId,
      path: `${target.prefix}${target.path}`,
    });
    const preview = deps.origins().previewFor.get(siteOriginOf(req, deps.origins()));
    res.writeHead(303, {
      location: `${preview}${ENTER_PATH}?t=${encodeURIComponent(token)}`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end();
  } catch (err) {
    sendPreviewError(res, asSlipwayError(err));
  }
  return true;
}

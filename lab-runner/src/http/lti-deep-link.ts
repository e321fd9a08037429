import type { ServerResponse } from 'node:http';
import { slipwayError } from '../errors/catalogue.ts';
import {
  deepLinkResponse,
  PICK_MS,
  type PickItem,
  pickable,
  pickerPage,
  returnPage,
} from '../lti/deep-link.ts';
import { LaunchRefusal } from '../lti/launch.ts';
import { type DeepLinkingClaims, LTI, LTI_DL, type LtiPlatform } from '../protocol/index.ts';
import type { LtiRouteDeps } from './lti-launch.ts';

/** An instructor's deep-linking launch: the picker, carrying the platform's request sealed. */
export function startDeepLinking(
  res: ServerResponse,
  platform: LtiPlatform,
  claims: DeepLinkingClaims,
  deps: LtiRouteDeps,
): void {
  const settings = claims[`${LTI_DL}deep_linking_settings`];
  const sealed = deps.deepLinks.seal({
    issuer: platform.issuer,
    clientId: platform.clientId,
    deploymentId: claims[`${LTI}deployment_id`],
    returnUrl: settings.deep_link_return_url,
    data: settings.data,
    expiresAt: Date.now() + PICK_MS,
  });
  deps.logger.info('LTI deep linking started', { platform: platform.name, subject: claims.sub });
  sendPage(res, pickerPage(pickable(deps.course(), deps.places()), sealed, platform.name));
}

/** The instructor's picks, signed and handed back to the LMS. */
export async function deepLinked(
  res: ServerResponse,
  form: URLSearchParams,
  deps: LtiRouteDeps,
): Promise<void> {
  const lti = deps.lti!;
  const request = deps.deepLinks.open(form.get('request') ?? undefined);
  if (!request)
    throw new LaunchRefusal(
      'state-mismatch',
      'this page has expired: add the activity again from your course',
    );
  const platform = lti.platforms.find(
    (p) => p.issuer === request.issuer && p.clientId === request.clientId,
  );
  if (!platform) throw slipwayError('LTI_OFF');
  const wanted = new Set(form.getAll('item'));
  const items: PickItem[] = pickable(deps.course(), deps.places()).filter((i) =>
    wanted.has(`${i.kind}:${i.id}`),
  );
  const jwt = await deepLinkResponse(
    lti.key,
    platform,
    request,
    items,
    `${deps.home()}/lti/launch`,
    (labId) => deps.labTaskCount(labId) + (deps.places().get(labId)?.questions.length ?? 0),
  );
  deps.logger.info('LTI deep linking answered', { platform: platform.name, items: items.length });
  sendPage(res, returnPage(request.returnUrl, jwt));
}

function sendPage(res: ServerResponse, p: { html: string; csp: string }): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(p.html),
    'cache-control': 'no-store',
    'content-security-policy': p.csp,
  });
  res.end(p.html);
}

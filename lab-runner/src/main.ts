import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRemoteJWKSet } from 'jose';
import { type Course, readCourse } from '../../site/src/build/course.ts';
import { ApiTokenStore } from './accounts/api-token-store.ts';
import { InstructorStore } from './accounts/instructor-store.ts';
import { DEFAULT_LOGIN_POLICY, FailureLog } from './accounts/login-policy.ts';
import { CheckRunner } from './checks/check-runner.ts';
import { courseOutline, type ModuleOutline } from './classes/class-labs.ts';
import { ClassStore } from './classes/class-store.ts';
import { type Config, loadConfig } from './config.ts';
import { consoleLogger, type Logger } from './errors/log.ts';
import { EventBus } from './events/event-bus.ts';
import { Identity } from './http/identity.ts';
import { keySets } from './http/lti-routes.ts';
import { type Origins, resolveOrigins } from './http/origins.ts';
import { createPlatformServer } from './http/server.ts';
import { CALLBACK_ROUTE } from './http/sign-in-routes.ts';
import { LearnerCookies } from './identity/learner-cookie.ts';
import { PreviewTokens } from './identity/preview-tokens.ts';
import { loadOrCreateSecret } from './identity/secret.ts';
import { loadCourseImages } from './labs/course-images.ts';
import { loadLabs } from './labs/load-labs.ts';
import { PlatformServices } from './lti/ags-client.ts';
import { DeepLinkRequests } from './lti/deep-link.ts';
import { LtiStore } from './lti/lti-store.ts';
import { PendingLaunches } from './lti/pending-launch.ts';
import { type LabPlace, labPlaces } from './lti/score.ts';
import { ScoreSender } from './lti/score-sender.ts';
import { ScoreStore } from './lti/score-store.ts';
import { loadOrCreateToolKey } from './lti/tool-key.ts';
import { OidcClient } from './oidc/oidc-client.ts';
import { PendingLogins } from './oidc/pending-login.ts';
import { ActivityStore } from './progress/activity-store.ts';
import { openDatabase } from './progress/database.ts';
import { PoolStore } from './progress/pool-store.ts';
import { ProgressStore } from './progress/progress-store.ts';
import { sweepRecordings } from './progress/recording-retention.ts';
import { SignInStore } from './progress/sign-in-store.ts';
import { AnswerThrottle } from './questions/answer-throttle.ts';
import { type CourseQuestions, loadCourseQuestions } from './questions/course-questions.ts';
import { QuestionStore } from './questions/question-store.ts';
import { createSandboxProvider } from './sandbox/factory.ts';
import { Admission } from './sessions/admission.ts';
import { IdleCuller } from './sessions/idle-culler.ts';
import { LimitWatch } from './sessions/limit-watch.ts';
import { provisionSettings } from './sessions/provision.ts';
import { Reaper } from './sessions/reaper.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { WarmPool } from './sessions/warm-pool.ts';
import { poolTargets, unknownPoolLabs } from './sessions/warm-pool-policy.ts';
import { DeliveryStore } from './webhooks/delivery-store.ts';
import { DeliveryWorker } from './webhooks/delivery-worker.ts';
import { WebhookOutbox } from './webhooks/outbox.ts';
import { DEFAULT_RETRY_POLICY } from './webhooks/retry-policy.ts';
import { StuckWatch } from './webhooks/stuck-watch.ts';
import { SubscriptionStore } from './webhooks/subscription-store.ts';

export interface RunningPlatform {
  url: string;
  /** Where learners' web apps are served (an origin of their own). */
  previewUrl: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Webhook events, with their deliveries and attempts, are kept this long in the log. */
const WEBHOOK_RETENTION_MS = 7 * 86_400_000;
/** Score sends to LMS gradebooks (and their attempts) are kept this long once settled. */
const LTI_SCORE_RETENTION_MS = 180 * 86_400_000;
/** How often the class view's stuck rule is read for `learner.stuck` webhooks. */
const STUCK_SWEEP_MS = 30_000;

/** The composition root: config in, a listening platform out. Nothing else wires parts. */
export async function startPlatform(
  config: Config,
  logger: Logger = consoleLogger(),
): Promise<RunningPlatform> {
  const images = loadCourseImages(config.imagesDir);
  const labs = loadLabs(config.labsDir, images);
  for (const f of labs.failures) {
    process.stderr.write(`lab "${f.id}" was not loaded:\n${f.message}\n`);
  }
  logger.info('labs loaded', {
    labs: [...labs.labs.keys()],
    broken: labs.failures.map((f) => f.id),
  });

  const db = openDatabase(join(config.dataDir, 'slipway.db'));
  const store = new ProgressStore(db);
  const secret = config.secret
    ? Buffer.from(config.secret)
    : loadOrCreateSecret(join(config.dataDir, 'secret.key'));
  const signIns = new SignInStore(db);
  const identity = new Identity(
    new LearnerCookies({ secret, secure: config.cookieSecure }),
    store,
    config.oidc?.learners === 'required'
      ? { required: true, isLinked: (id) => signIns.isLinked(id) }
      : undefined,
  );

  const provider = createSandboxProvider(config, logger);
  await provider.ping().then(
    () => logger.info('sandbox engine answers', { socket: config.dockerSocket }),
    (err) =>
      logger.error('sandbox engine does not answer; labs will report it until it does', err, {
        socket: config.dockerSocket,
      }),
  );
  const checks = new CheckRunner(provider, { maxOutputBytes: config.checkOutputBytes });
  const bus = new EventBus((err) => logger.error('event listener failed', err));
  const { limits } = provisionSettings(config);
  const capacity =
    config.maxSandboxes === 'auto'
      ? await provider.capacity(limits).catch((err) => {
          logger.error('the provider could not say what it holds; starting with 1', err);
          return 1;
        })
      : config.maxSandboxes;
  logger.info('sandbox capacity', { capacity, setting: config.maxSandboxes });
  const admission = new Admission(capacity);
  // A cluster's capacity moves as nodes join, leave or are cordoned.
  const capacityWatch =
    config.maxSandboxes === 'auto' && provider.kind === 'swarm'
      ? setInterval(() => {
          provider.capacity(limits).then(
            (n) => admission.setCapacity(n),
            (err) => logger.warn('cluster capacity unknown', { error: String(err) }),
          );
        }, 15_000)
      : undefined;
  capacityWatch?.unref();
  const labIds = [...labs.labs.keys()];
  const unknown = unknownPoolLabs(config.warmPool, labIds);
  if (unknown.length) logger.warn('SLIPWAY_WARM_POOL names labs that do not exist', { unknown });
  const pool = new WarmPool({
    provider,
    pool: new PoolStore(db),
    store,
    admission,
    labs: labs.labs,
    targets: poolTargets(config.warmPool, labIds),
    settings: { ...provisionSettings(config), instance: config.instance },
    logger,
  });
  admission.onQueued = () => pool.yieldOne();
  const sessions = new SessionManager({
    pool,
    provider,
    store,
    checks,
    logger,
    bus,
    admission,
    recordings: { dir: join(config.dataDir, 'recordings'), maxBytes: config.recordingMaxBytes },
    settings: {
      ...provisionSettings(config),
      instance: config.instance,
      checkIntervalMs: config.checkIntervalMs,
    },
  });

  const classes = new ClassStore(db);
  let outline: ModuleOutline[] = [];
  let course: Course = { modules: [] };
  try {
    outline = courseOutline(config.contentDir, labs);
    course = readCourse(config.contentDir);
  } catch (err) {
    logger.error('the course content could not be read; classes will list no labs', err);
  }
  const places: ReadonlyMap<string, LabPlace> = labPlaces(course);
  // Questions come from the lessons' front matter, checked with the site build's schema; a
  // broken one is reported by file and field, and no question can be answered until it is fixed.
  let questions: CourseQuestions = new Map();
  try {
    questions = loadCourseQuestions(config.contentDir);
  } catch (err) {
    process.stderr.write(`the course's questions were not loaded:\n${(err as Error).message}\n`);
  }
  logger.info('questions loaded', { questions: questions.size });
  const questionDeps = { questions: () => questions, answers: new QuestionStore(db) };

  // Webhooks: the bus's events become rows in SQLite on the publisher's tick; the worker
  // sends them on its own time, so no endpoint can slow what learners do.
  const subscriptions = new SubscriptionStore(db);
  subscriptions.syncOperator(config.webhooks);
  const deliveries = new DeliveryStore(db);
  const webhookWorker = new DeliveryWorker({
    deliveries,
    subscriptions,
    logger,
    settings: {
      timeoutMs: config.webhookTimeoutMs,
      concurrency: config.webhookConcurrency,
      allowed: config.webhookAllowedNetworks,
      retentionMs: WEBHOOK_RETENTION_MS,
      policy: {
        ...DEFAULT_RETRY_POLICY,
        maxAttempts: config.webhookMaxAttempts,
        baseMs: config.webhookRetryBaseMs,
        pauseAfter: config.webhookPauseAfter,
      },
    },
  });
  const outbox = new WebhookOutbox({
    classes,
    subscriptions,
    deliveries,
    store,
    answers: questionDeps.answers,
    outline: () => outline,
    questions: () => questions,
    onQueued: () => webhookWorker.wake(),
  });
  const offWebhooks = bus.subscribe((e) => outbox.handle(e));

  // LTI 1.3: scores go to LMS gradebooks as learners progress, queued in SQLite like webhooks.
  const ltiStore = new LtiStore(db);
  const ltiScores = new ScoreStore(db);
  const lti =
    config.ltiPlatforms.length > 0
      ? await (async () => {
          const key = await loadOrCreateToolKey(join(config.dataDir, 'lti-tool-key.json'));
          const services = new PlatformServices(key);
          const scores = new ScoreSender({
            lti: ltiStore,
            scores: ltiScores,
            services,
            platforms: () => config.ltiPlatforms,
            labs,
            places: () => places,
            progress: store,
            answers: questionDeps.answers,
            logger,
            policy: { ...DEFAULT_RETRY_POLICY, baseMs: config.ltiRetryBaseMs },
          });
          return { platforms: config.ltiPlatforms, key, store: ltiStore, services, scores };
        })()
      : undefined;
  const offLti = lti ? bus.subscribe((e) => lti.scores.handle(e)) : () => {};
  const instructorApi = {
    instructors: new InstructorStore(db),
    tokens: new ApiTokenStore(db),
    classes,
    activity: new ActivityStore(db),
    sessions,
    store,
    bus,
    logger,
    outline: () => outline,
    questions: questionDeps,
    stuckPolicy: {
      noProgressMs: config.stuckAfterMinutes * 60_000,
      failures: config.stuckFailures,
      activeWithinMs: Math.max(15, config.stuckAfterMinutes * 1.5) * 60_000,
    },
    failures: new FailureLog(DEFAULT_LOGIN_POLICY.windowMs),
    cookieSecure: config.cookieSecure,
    learnersCanSignIn: config.oidc !== undefined && config.oidc.learners !== 'off',
    ltiScores: { contexts: ltiStore, scores: ltiScores },
    webhooks: {
      subscriptions,
      deliveries,
      allowed: config.webhookAllowedNetworks,
      wake: () => webhookWorker.wake(),
    },
  };
  const stuckWatch = new StuckWatch({
    classes,
    subscriptions,
    outbox,
    view: instructorApi,
    logger,
  });

  let origins: Origins | undefined;
  const currentOrigins = () => {
    if (!origins) throw new Error('a request came in before the servers listened');
    return origins;
  };
  // The provider's client is made once the site's origin is known (the redirect URI is on it).
  let oidcClient: OidcClient | undefined;
  const { server, previewServer, shutdown } = createPlatformServer({
    classes,
    instructorApi,
    questionsApi: { ...questionDeps, identity, throttle: new AnswerThrottle(), bus },
    signedIn: (learnerId) => signIns.isLinked(learnerId),
    labs,
    sessions,
    provider,
    identity,
    store,
    logger,
    siteDir: config.siteDir,
    previewTokens: new PreviewTokens(secret),
    origins: currentOrigins,
    signIn: {
      get oidc() {
        return config.oidc && oidcClient
          ? { client: oidcClient, settings: config.oidc }
          : undefined;
      },
      pending: new PendingLogins(secret),
      signIns,
      instructors: instructorApi.instructors,
      identity,
      sessions,
      logger,
      cookieSecure: config.cookieSecure,
      origins: currentOrigins,
    },
    lti: {
      lti,
      pending: new PendingLaunches(secret),
      deepLinks: new DeepLinkRequests(secret),
      keysOf: keySets((url) => createRemoteJWKSet(url)),
      signIns,
      instructors: instructorApi.instructors,
      classes,
      identity,
      sessions,
      course: () => course,
      places: () => places,
      labTaskCount: (labId) => labs.labs.get(labId)?.tasks.length ?? 0,
      logger,
      cookieSecure: config.cookieSecure,
      home: () => currentOrigins().site[0]!,
    },
  });
  const sitePort = await listen(server, config.port, config.host);
  const previewPort = await listen(previewServer, config.previewPort, config.host).catch(
    async (err: NodeJS.ErrnoException) => {
      await new Promise((r) => server.close(r));
      throw err.code === 'EADDRINUSE'
        ? new Error(
            `the preview port ${config.previewPort} is already in use (set SLIPWAY_PREVIEW_PORT to use another)`,
          )
        : err;
    },
  );
  origins = resolveOrigins({
    listenHost: config.host,
    sitePort,
    previewPort,
    publicOrigin: config.publicOrigin,
    previewOrigin: config.previewOrigin,
    extraOrigins: config.allowedOrigins,
  });
  if (config.oidc) {
    const redirectUri = `${origins.site[0]}${CALLBACK_ROUTE}`;
    oidcClient = new OidcClient(config.oidc, redirectUri, logger);
    logger.info('single sign-on configured; register this redirect URI with the provider', {
      issuer: config.oidc.issuer,
      redirectUri,
      learners: config.oidc.learners,
    });
  }
  const watching = new AbortController();
  void sessions.watch(provider, logger, watching.signal);
  const reaper = new Reaper({ provider, store, logger, graceMs: config.reapGraceMs });
  reaper.sweep().catch((err) => logger.error('reaper sweep failed', err));
  reaper.start(config.reapIntervalMs);
  void pool.adopt().then(
    () => pool.kick(),
    (err) => logger.error('warm pool could not adopt its sandboxes', err),
  );
  const culler = new IdleCuller({
    sessions: () => sessions.all(),
    provider,
    logger,
    settings: {
      idleMs: config.idleTimeoutMs,
      warnMs: config.idleWarningMs,
      lifetimeMs: config.sandboxLifetimeMs,
    },
  });
  culler.start(config.idleSweepMs);
  const limitWatch = new LimitWatch({
    sessions: () => sessions.all(),
    provider,
    logger,
    settings: {
      limits: provisionSettings(config).limits,
      diskBytes: config.sandboxDisk,
    },
  });
  limitWatch.start(config.limitSweepMs);
  const sweep = () => {
    const forgotten = ltiScores.prune(new Date(Date.now() - LTI_SCORE_RETENTION_MS));
    if (forgotten > 0) logger.info('old LTI score sends deleted', { count: forgotten });
    return sweepRecordings(store, config.recordingRetentionDays).then(
      (n) => n > 0 && logger.info('old recordings deleted', { count: n }),
      (err) => logger.error('recording retention sweep failed', err),
    );
  };
  void sweep();
  const sweeper = setInterval(sweep, 6 * 3_600_000);
  sweeper.unref();
  webhookWorker.start();
  stuckWatch.start(STUCK_SWEEP_MS);
  lti?.scores.start();
  if (lti)
    logger.info('LTI 1.3 on; `npm run lti -- config` prints the values to register in the LMS', {
      platforms: lti.platforms.map((p) => p.name),
      login: `${origins.site[0]}/lti/login`,
    });

  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${sitePort}`;
  return {
    url,
    previewUrl: origins.previewFor.get(origins.site[0]!)!,
    async close() {
      clearInterval(capacityWatch);
      watching.abort();
      clearInterval(sweeper);
      reaper.stop();
      culler.stop();
      await limitWatch.stop();
      await pool.close();
      await sessions.closeAll();
      await stuckWatch.stop();
      offWebhooks();
      await webhookWorker.close();
      offLti();
      await lti?.scores.close();
      await shutdown();
      db.close();
    },
  };
}

if (import.meta.main) {
  const logger = consoleLogger();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  startPlatform(config, logger).then(
    (platform) => {
      process.stdout.write(
        `\nSlipway is running at ${platform.url}\n(learners' web previews are served from ${platform.previewUrl})\n\n`,
      );
      const stop = (signal: string) => {
        logger.info('stopping', { signal });
        // Sandboxes keep running: the next start adopts them.
        platform.close().then(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (err: NodeJS.ErrnoException) => {
      const msg =
        err.code === 'EADDRINUSE'
          ? `port ${config.port} is already in use: is Slipway already running? (set SLIPWAY_PORT to use another)`
          : err.message;
      process.stderr.write(`Slipway could not start: ${msg}\n`);
      process.exit(1);
    },
  );
}

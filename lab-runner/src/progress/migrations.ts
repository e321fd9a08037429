/**
 * Schema changes, applied in order and recorded in schema_migrations. Never edit a released
 * migration: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'learners, check attempts, task completions, sandboxes',
    sql: `
      CREATE TABLE learners (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        -- Filled when accounts arrive; a learner's anonymous progress then moves with them.
        account_id TEXT,
        display_name TEXT
      );
      CREATE TABLE check_attempts (
        id INTEGER PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        passed INTEGER NOT NULL,
        reason TEXT,
        trigger TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX check_attempts_by_learner ON check_attempts (learner_id, lab_id, task_id, at);
      CREATE TABLE task_completions (
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, lab_id, task_id)
      );
      CREATE TABLE sandboxes (
        session_id TEXT PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        sandbox_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        ended_at TEXT,
        end_reason TEXT
      );
      CREATE INDEX sandboxes_live ON sandboxes (learner_id, lab_id) WHERE ended_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'learner events (hints opened)',
    sql: `
      CREATE TABLE learner_events (
        id INTEGER PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        task_id TEXT,
        kind TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX learner_events_by_learner ON learner_events (learner_id, lab_id, at);
    `,
  },
  {
    version: 3,
    name: 'lessons a learner has read',
    sql: `
      CREATE TABLE lesson_views (
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lesson_id TEXT NOT NULL,
        viewed_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, lesson_id)
      );
    `,
  },
  {
    version: 4,
    name: 'commands run in lab terminals, terminal recordings',
    sql: `
      CREATE TABLE commands (
        id INTEGER PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        command TEXT NOT NULL,
        exit_code INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL
      );
      CREATE INDEX commands_by_learner ON commands (learner_id, lab_id, finished_at);
      CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL
      );
      CREATE INDEX recordings_by_learner ON recordings (learner_id, lab_id, started_at);
    `,
  },
  {
    version: 5,
    name: 'instructors, their sessions, classes and members',
    sql: `
      CREATE TABLE instructors (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE instructor_sessions (
        token_hash TEXT PRIMARY KEY,
        instructor_id TEXT NOT NULL REFERENCES instructors(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE TABLE classes (
        id TEXT PRIMARY KEY,
        instructor_id TEXT NOT NULL REFERENCES instructors(id),
        name TEXT NOT NULL,
        modules TEXT NOT NULL,
        join_code TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE TABLE class_members (
        class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        display_name TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (class_id, learner_id)
      );
      CREATE INDEX class_members_by_learner ON class_members (learner_id);
    `,
  },
  {
    version: 6,
    name: 'warm pool sandboxes',
    sql: `
      -- Ready sandboxes nobody owns yet. Claiming one moves its row to sandboxes in one
      -- transaction, so after a crash a sandbox is either pooled or a learner's, never both.
      CREATE TABLE pool_sandboxes (
        session_id TEXT PRIMARY KEY,
        lab_id TEXT NOT NULL,
        sandbox_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'answers to check-your-understanding questions',
    sql: `
      -- Question ids are unique in the course (the content reader checks it).
      CREATE TABLE question_attempts (
        id INTEGER PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        question_id TEXT NOT NULL,
        -- The picked option's index for a choice question, NULL for a typed answer.
        choice INTEGER,
        answer TEXT NOT NULL,
        correct INTEGER NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX question_attempts_by_learner ON question_attempts (learner_id, question_id, id);
      -- Like task_completions: the first right answer, kept whatever comes after it.
      CREATE TABLE question_completions (
        learner_id TEXT NOT NULL REFERENCES learners(id),
        question_id TEXT NOT NULL,
        correct_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, question_id)
      );
    `,
  },
  {
    version: 8,
    name: 'single sign-on: people behind learners and instructors, used sign-in states',
    sql: `
      -- A person at the OpenID Connect provider is an issuer and a subject ("sub").
      CREATE TABLE oidc_learners (
        issuer TEXT NOT NULL,
        subject TEXT NOT NULL,
        learner_id TEXT NOT NULL UNIQUE REFERENCES learners(id),
        name TEXT,
        linked_at TEXT NOT NULL,
        last_sign_in_at TEXT NOT NULL,
        PRIMARY KEY (issuer, subject)
      );
      CREATE TABLE oidc_instructors (
        issuer TEXT NOT NULL,
        subject TEXT NOT NULL,
        instructor_id TEXT NOT NULL UNIQUE REFERENCES instructors(id) ON DELETE CASCADE,
        linked_at TEXT NOT NULL,
        last_sign_in_at TEXT NOT NULL,
        PRIMARY KEY (issuer, subject)
      );
      -- The state of every sign-in the provider answered, kept until the sign-in would have
      -- expired anyway: the same answer a second time is refused.
      CREATE TABLE oidc_used_states (
        state_hash TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      );
      -- An anonymous learner whose progress moved to another when its browser signed in as
      -- someone who already had one.
      ALTER TABLE learners ADD COLUMN merged_into TEXT REFERENCES learners(id);
    `,
  },
  {
    version: 9,
    name: 'webhook subscriptions, events and their deliveries',
    sql: `
      -- An endpoint: a class's (registered by its instructor) or, with class_id NULL, the
      -- operator's from SLIPWAY_WEBHOOKS (kept in step with the setting at every start).
      CREATE TABLE webhook_subscriptions (
        id TEXT PRIMARY KEY,
        class_id TEXT REFERENCES classes(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        -- JSON array of event types.
        events TEXT NOT NULL,
        -- The whsec_ signing key: HMAC needs it as it is, so it cannot be stored hashed.
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        -- Failed attempts in a row, across deliveries; a success resets it.
        failures INTEGER NOT NULL DEFAULT 0,
        paused_at TEXT,
        pause_reason TEXT
      );
      CREATE INDEX webhook_subscriptions_by_class ON webhook_subscriptions (class_id);
      -- One event per class it concerns, with the exact body every attempt sends and signs.
      CREATE TABLE webhook_events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        -- Set for events that must happen once (a task passed, a stuck episode).
        dedupe_key TEXT UNIQUE,
        body TEXT NOT NULL,
        occurred_at TEXT NOT NULL
      );
      CREATE INDEX webhook_events_by_time ON webhook_events (occurred_at);
      -- The queue: a pending delivery is due at next_attempt_at. A worker claims one by moving
      -- next_attempt_at past its request's timeout, so after a crash it is simply due again.
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        -- attempts when this round began: a redelivery starts a new round of retries.
        round_start INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_attempt_at TEXT,
        response_code INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (event_id, subscription_id)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
      CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (subscription_id, status, next_attempt_at);
      CREATE TABLE webhook_attempts (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        response_code INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL
      );
      CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);
    `,
  },
  {
    version: 10,
    name: "instructors' API tokens",
    sql: `
      -- A token for the read API (/api/v1/). Only its SHA-256 is kept; the prefix is the
      -- start of the token, shown in lists so its owner can tell tokens apart.
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        instructor_id TEXT NOT NULL REFERENCES instructors(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX api_tokens_by_instructor ON api_tokens (instructor_id, created_at);
    `,
  },
  {
    version: 11,
    name: 'LTI 1.3: launch nonces, course contexts, people, grade targets and score sends',
    sql: `
      -- The nonce of every launch taken, until its token would have expired anyway: a launch
      -- sent twice is refused.
      CREATE TABLE lti_nonces (
        issuer TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (issuer, nonce)
      );
      -- An LMS course (a context of one deployment at one platform) is one Slipway class.
      CREATE TABLE lti_contexts (
        issuer TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        context_id TEXT NOT NULL,
        class_id TEXT NOT NULL UNIQUE REFERENCES classes(id) ON DELETE CASCADE,
        title TEXT,
        -- The NRPS memberships URL from the last launch that gave one.
        memberships_url TEXT,
        PRIMARY KEY (issuer, deployment_id, context_id)
      );
      -- Instructors who teach a class besides its owner (LTI instructors of the course).
      CREATE TABLE class_teachers (
        class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        instructor_id TEXT NOT NULL REFERENCES instructors(id) ON DELETE CASCADE,
        PRIMARY KEY (class_id, instructor_id)
      );
      -- Where a learner's score for a lab goes: the AGS endpoint of the launch that opened it.
      CREATE TABLE lti_grade_targets (
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        issuer TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        context_id TEXT NOT NULL,
        resource_link_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        lineitems_url TEXT,
        lineitem_url TEXT,
        scopes TEXT NOT NULL,
        PRIMARY KEY (learner_id, lab_id, issuer, deployment_id, context_id)
      );
      -- Every score sent (or to be sent) to a gradebook, with its outcome.
      CREATE TABLE lti_score_sends (
        id INTEGER PRIMARY KEY,
        learner_id TEXT NOT NULL,
        lab_id TEXT NOT NULL,
        issuer TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        context_id TEXT NOT NULL,
        score_given REAL NOT NULL,
        score_maximum REAL NOT NULL,
        activity_progress TEXT NOT NULL,
        grading_progress TEXT NOT NULL,
        -- pending, sent, failed, or superseded (a newer score for the same target was queued).
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_attempt_at TEXT,
        response_code INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX lti_score_sends_due ON lti_score_sends (status, next_attempt_at);
      CREATE TABLE lti_score_attempts (
        id INTEGER PRIMARY KEY,
        send_id INTEGER NOT NULL REFERENCES lti_score_sends(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        response_code INTEGER,
        error TEXT
      );
      CREATE INDEX lti_score_attempts_by_send ON lti_score_attempts (send_id, id);
    `,
  },
  {
    version: 12,
    name: 'a class may ask its learners to sign in',
    sql: `
      -- 1: only a learner signed in (single sign-on, or an LMS launch) may join the class.
      ALTER TABLE classes ADD COLUMN require_sign_in INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

import { asSlipwayError } from './catalogue.ts';

/** A minimal structured logger; one JSON line per event on stderr. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, err: unknown, fields?: Record<string, unknown>): void;
}

export function consoleLogger(
  name = 'lab-runner',
  sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(JSON.stringify({ t: new Date().toISOString(), level, name, msg, ...fields }));
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, err, fields) => {
      const e = asSlipwayError(err);
      // Learner-facing errors are expected outcomes: no stack. System errors keep theirs.
      const stack =
        e.audience === 'system' ? ((e.cause as Error | undefined)?.stack ?? e.stack) : undefined;
      emit('error', msg, {
        code: e.code,
        error: e.message,
        ...(stack ? { stack } : {}),
        ...fields,
      });
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * Protocol constants, free of zod so the browser can import them without bundling it.
 */
/** Bumped on any change a client of the previous version could misread. */
export const PROTOCOL_VERSION = 1;

/** Frames larger than this close the socket with 1009 (message too big). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Terminal input per message; a paste larger than this is split by the client. */
export const MAX_INPUT_CHARS = 16 * 1024;
/**
 * Messages the runner takes from a page per second, after a burst of twice as many; past that
 * it stops reading the socket for a while. Pages gather keystrokes that come faster than a
 * person types into one message, so typing stays well under it.
 */
export const INPUT_MESSAGES_PER_SECOND = 200;

export const TERMINAL_LIMITS = { minCols: 2, maxCols: 500, minRows: 1, maxRows: 200 } as const;

/** Close codes of the lab socket; 4000-4999 are application-defined in RFC 6455. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** Never sent: what a browser reports when the connection dropped without a close frame. */
  abnormal: 1006,
  badMessage: 1008,
  tooBig: 1009,
  serverError: 1011,
  notSignedIn: 4401,
  /** The learner opened the same lab in another tab, which took the terminal over. */
  takenOver: 4409,
  unknownLab: 4404,
  labUnavailable: 4503,
} as const;

/** Flow control: output is held back while a page has this much unacknowledged output… */
export const OUTPUT_HIGH_WATER = 256 * 1024;
/** …and resumes once it is below this. */
export const OUTPUT_LOW_WATER = 64 * 1024;

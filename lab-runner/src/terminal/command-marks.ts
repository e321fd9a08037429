/**
 * Two private OSC escapes travel in the terminal's output for the runner, not the learner:
 * - `ESC ] 6973 ; <base64 of "exit TAB startMicros TAB command"> BEL`: the sandbox's bash
 *   reports each finished command (see images/sandbox/bashrc);
 * - `ESC ] 6974 ; dropped=N;discarded=M BEL`: slipway-tty reports keystrokes it dropped (the
 *   program was not reading and its queue was full) or threw away on Ctrl-C.
 * This splits them out of the output stream, even when one arrives in pieces, so the
 * learner's screen and the recording never show them.
 */
export interface CommandMark {
  command: string;
  exitCode: number;
  startedAt: Date;
  finishedAt: Date;
}

/** Keystrokes slipway-tty did not pass to the program, since its previous notice. */
export interface InputNotice {
  dropped: number;
  discarded: number;
}

const START = '\u001b]697';
const KINDS = ['3;', '4;'] as const;
const END = '\u0007';
/** A mark longer than this is not one of ours: pass it through rather than hold output. */
const MAX_MARK = 8192;

export class CommandMarkExtractor {
  private held = '';

  push(
    text: string,
    now = new Date(),
  ): { text: string; marks: CommandMark[]; notices: InputNotice[] } {
    let input = this.held + text;
    this.held = '';
    let out = '';
    const marks: CommandMark[] = [];
    const notices: InputNotice[] = [];
    for (;;) {
      const at = input.indexOf(START);
      if (at < 0) {
        // Hold back a tail that could be the beginning of an escape of ours.
        const keep = partialPrefix(input);
        out += input.slice(0, input.length - keep);
        this.held = input.slice(input.length - keep);
        break;
      }
      out += input.slice(0, at);
      const kind = input.slice(at + START.length, at + START.length + 2);
      if (kind.length < 2) {
        this.held = input.slice(at);
        break;
      }
      if (!(KINDS as readonly string[]).includes(kind)) {
        // Some other OSC: it is the program's, pass it on.
        out += input.slice(at, at + START.length);
        input = input.slice(at + START.length);
        continue;
      }
      const body = at + START.length + 2;
      const end = input.indexOf(END, body);
      if (end < 0) {
        if (input.length - at > MAX_MARK) {
          out += input.slice(at);
        } else {
          this.held = input.slice(at);
        }
        break;
      }
      if (kind === '3;') {
        const mark = decodeMark(input.slice(body, end), now);
        if (mark) marks.push(mark);
      } else {
        const notice = decodeNotice(input.slice(body, end));
        if (notice) notices.push(notice);
      }
      input = input.slice(end + END.length);
    }
    return { text: out, marks, notices };
  }
}

function partialPrefix(s: string): number {
  for (let n = Math.min(START.length - 1, s.length); n > 0; n--) {
    if (START.startsWith(s.slice(s.length - n))) return n;
  }
  return 0;
}

function decodeNotice(payload: string): InputNotice | undefined {
  const m = /^dropped=(\d{1,15});discarded=(\d{1,15})$/.exec(payload);
  if (!m) return undefined;
  return { dropped: Number(m[1]), discarded: Number(m[2]) };
}

function decodeMark(payload: string, now: Date): CommandMark | undefined {
  let text: string;
  try {
    text = Buffer.from(payload, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const [exit, startMicros, ...rest] = text.split('\t');
  const command = rest.join('\t').trim();
  const exitCode = Number(exit);
  const started = Number(startMicros) / 1000;
  if (!command || !Number.isInteger(exitCode) || !Number.isFinite(started)) return undefined;
  return {
    command: command.slice(0, 4096),
    exitCode,
    startedAt: new Date(started),
    finishedAt: now,
  };
}

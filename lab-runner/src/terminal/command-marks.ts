/**
 * The sandbox's bash reports each finished command as an OSC escape,
 * `ESC ] 6973 ; <base64 of "exit TAB startMicros TAB command"> BEL` (see images/sandbox/bashrc).
 * This splits them out of the output stream, even when a mark arrives in pieces, so the
 * learner's screen and the recording never show them.
 */
export interface CommandMark {
  command: string;
  exitCode: number;
  startedAt: Date;
  finishedAt: Date;
}

const START = '\u001b]6973;';
const END = '\u0007';
/** A mark longer than this is not one of ours: pass it through rather than hold output. */
const MAX_MARK = 8192;

export class CommandMarkExtractor {
  private held = '';

  push(text: string, now = new Date()): { text: string; marks: CommandMark[] } {
    let input = this.held + text;
    this.held = '';
    let out = '';
    const marks: CommandMark[] = [];
    for (;;) {
      const at = input.indexOf(START);
      if (at < 0) {
        // Hold back a tail that could be the beginning of a mark.
        const keep = partialPrefix(input);
        out += input.slice(0, input.length - keep);
        this.held = input.slice(input.length - keep);
        break;
      }
      out += input.slice(0, at);
      const end = input.indexOf(END, at + START.length);
      if (end < 0) {
        if (input.length - at > MAX_MARK) {
          out += input.slice(at);
        } else {
          this.held = input.slice(at);
        }
        break;
      }
      const mark = decodeMark(input.slice(at + START.length, end), now);
      if (mark) marks.push(mark);
      input = input.slice(end + END.length);
    }
    return { text: out, marks };
  }
}

function partialPrefix(s: string): number {
  for (let n = Math.min(START.length - 1, s.length); n > 0; n--) {
    if (START.startsWith(s.slice(s.length - n))) return n;
  }
  return 0;
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

/**
 * The files a lab's shell scripts leave in the sandbox, without running them: the setup and
 * the solutions write their files with here-documents (`cat > FILE <<'EOF'`), and this
 * replays those writes, following `cd`, plain `NAME=value` assignments, `cp`, `mv` and `rm`.
 * Everything else is a command that writes no file of interest (docker, curl, mkdir...). A
 * file changed by a line it cannot follow (`sed -i`, a redirection) is held as `null`: not
 * known, rather than silently stale.
 */
import { posix } from 'node:path';

/** Path → content; `null` when a command changed it in a way the replay cannot follow. */
export type Files = Map<string, string | null>;

const HEREDOC = /^cat\s*(>>?)\s*(\S+)\s*<<-?\s*(['"]?)([A-Za-z_]\w*)\3\s*$/;
const ASSIGN = /^([A-Za-z_]\w*)=([^\s'"$`;&|]*)$/;

/** Replays `script` onto `files` (changed in place); `cwd` starts in the learner's home. */
export function replayFiles(script: string, files: Files = new Map(), home = '/root'): Files {
  const vars = new Map<string, string>([['HOME', home]]);
  let cwd = home;
  const path = (word: string) => {
    const expanded = word
      .replace(/^(['"])(.*)\1$/, '$2')
      .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => {
        const name = (a ?? b) as string;
        const value = vars.get(name);
        if (value === undefined) throw new Error(`replay: $${name} is not set (in "${word}")`);
        return value;
      });
    return posix.resolve(cwd, expanded.replace(/^~(?=\/|$)/, home));
  };
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\s+#.*$/, '').trim();
    for (const command of line.split(/\s*&&\s*/)) {
      const heredoc = HEREDOC.exec(command);
      if (heredoc) {
        const [, redirect, target = '', quote, tag = ''] = heredoc;
        if (!quote) throw new Error(`replay: <<${tag} expands variables; quote it (<<'${tag}')`);
        const end = lines.indexOf(tag, i + 1);
        if (end < 0) throw new Error(`replay: here-document ${tag} never ends`);
        const body = lines.slice(i + 1, end).join('\n') + (end > i + 1 ? '\n' : '');
        const file = path(target);
        const before = redirect === '>>' ? files.get(file) : '';
        files.set(file, before === null ? null : (before ?? '') + body);
        i = end;
        break;
      }
      const words = command.split(/\s+/);
      const [verb, first = '', second = ''] = words;
      const assign = ASSIGN.exec(command);
      if (assign) vars.set(assign[1] ?? '', assign[2] ?? '');
      else if (verb === 'cd' && words.length === 2) cwd = path(first);
      else if (verb === 'rm') {
        for (const w of words.slice(1).filter((w) => !w.startsWith('-'))) files.delete(path(w));
      } else if ((verb === 'cp' || verb === 'mv') && words.length === 3) {
        const [from, to] = [path(first), path(second)];
        const content = files.get(from);
        if (content !== undefined) files.set(to, content);
        if (verb === 'mv') files.delete(from);
      } else {
        const written = words
          .filter((w, k) => /^>>?/.test(w) || /^>>?$/.test(words[k - 1] ?? ''))
          .map((w) => w.replace(/^>>?/, ''))
          .filter(Boolean);
        if (verb === 'sed' && words.some((w) => w.startsWith('-i')))
          written.push(...words.slice(-1));
        for (const w of written) if (files.has(path(w))) files.set(path(w), null);
      }
    }
  }
  return files;
}

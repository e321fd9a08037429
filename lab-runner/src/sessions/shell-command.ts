/**
 * The learner's login shell runs under slipway-tty (images/sandbox/tty/): it survives the
 * runner (a restart, even a kill -9, only ends the attached client), and the next connection
 * attaches to the same shell, with the same processes; a large paste never stalls it and
 * Ctrl-C always gets through. -A: attach, creating the shell if there is none; -n: only create
 * it (a warm pool prepares it before anyone attaches). Attaching redraws by SIGWINCH.
 */
export function shellCommand(mode: '-A' | '-n'): string[] {
  return ['slipway-tty', mode, '/run/slipway/tty/shell.sock', 'bash', '-l'];
}
/** Where and how the learner's shell runs; the same for a shell prepared in advance. */
export const SHELL_EXEC = { env: { TERM: 'xterm-256color' }, workdir: '/root' };

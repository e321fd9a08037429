import { describe, expect, it } from 'vitest';
import { checkCommand } from './check-runner.ts';

describe('checkCommand', () => {
  it('runs the check under timeout with a kill grace, prelude first', () => {
    const cmd = checkCommand('require_running web', 10, 2);
    expect(cmd.slice(0, 6)).toEqual(['timeout', '-k', '2s', '10s', 'bash', '-c']);
    expect(cmd).toHaveLength(7);
    expect(cmd[6]).toContain('require_running() {');
    expect(cmd[6]!.endsWith('\nrequire_running web')).toBe(true);
    // --foreground would leave the check's children alive after the limit.
    expect(cmd).not.toContain('--foreground');
  });
});

import { describe, expect, it } from 'vitest';
import { isRunMeta, runBlockProblem, runCommands } from './run-blocks.ts';

describe('isRunMeta', () => {
  it('finds the bare word run, not run inside titles, ranges or regexes', () => {
    expect(isRunMeta('run')).toBe(true);
    expect(isRunMeta('title="Start it" run {2}')).toBe(true);
    expect(isRunMeta('run=true')).toBe(true);
    expect(isRunMeta('run=false')).toBe(false);
    expect(isRunMeta('title="run"')).toBe(false);
    expect(isRunMeta("title='we run'")).toBe(false);
    expect(isRunMeta('/run/')).toBe(false);
    expect(isRunMeta('running')).toBe(false);
    expect(isRunMeta(undefined)).toBe(false);
    expect(isRunMeta(null)).toBe(false);
  });
});

describe('runCommands', () => {
  it('types shell blocks as written, without blank lines at the ends', () => {
    expect(runCommands('sh', '\ndocker ps   # list\n\ndocker run -d \\\n  redis\n\n')).toEqual([
      'docker ps   # list',
      '',
      'docker run -d \\',
      '  redis',
    ]);
  });

  it('types only the commands of a console transcript', () => {
    expect(
      runCommands(
        'console',
        '$ docker ps\nCONTAINER ID   IMAGE\n$ docker run -d \\\n    --name web nginx\nabc123\n$ cat <<EOF\n> hello\n> EOF\nhello\n$\n',
      ),
    ).toEqual([
      'docker ps',
      'docker run -d \\',
      '    --name web nginx',
      'cat <<EOF',
      'hello',
      'EOF',
    ]);
  });
});

describe('runBlockProblem', () => {
  it('accepts shell languages with commands', () => {
    expect(runBlockProblem('bash', 'ls')).toBeUndefined();
    expect(runBlockProblem('console', '$ ls')).toBeUndefined();
  });
});

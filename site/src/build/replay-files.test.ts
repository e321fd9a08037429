import { describe, expect, it } from 'vitest';
import { replayFiles } from './replay-files.ts';

describe('replayFiles', () => {
  it('writes and appends here-documents, following cd and variables', () => {
    const files = replayFiles(
      [
        'P=/root/proj',
        'mkdir -p "$P" && cd "$P"',
        'cat >"$P/a.yaml" <<\'EOF\'',
        'services:',
        'EOF',
        'docker compose up -d',
        "cat >> a.yaml <<'EOF'",
        '  web:',
        'EOF',
      ].join('\n'),
    );
    expect(files.get('/root/proj/a.yaml')).toBe('services:\n  web:\n');
  });

  it('follows cp, mv and rm', () => {
    const files = replayFiles(
      ["cat > a <<'EOF'", 'x', 'EOF', 'cp a b', 'mv b c', 'rm -f a'].join('\n'),
    );
    expect([...files]).toEqual([['/root/c', 'x\n']]);
  });

  it('holds a file changed by a command it cannot follow as unknown', () => {
    const files = replayFiles(
      ["cat > .env <<'EOF'", 'A=1', 'EOF', "sed -i 's/1/2/' .env"].join('\n'),
    );
    expect(files.get('/root/.env')).toBeNull();
    expect(
      replayFiles("cat > .env <<'EOF'\nA=1\nEOF\necho B=2 >>.env").get('/root/.env'),
    ).toBeNull();
  });

  it('refuses what it would get wrong', () => {
    expect(() => replayFiles('cat > a <<EOF\n$HOME\nEOF')).toThrow(/quote it/);
    expect(() => replayFiles("cat > a <<'EOF'\nx")).toThrow(/never ends/);
    expect(() => replayFiles("cat > $NOPE/a <<'EOF'\nEOF")).toThrow(/NOPE is not set/);
  });
});

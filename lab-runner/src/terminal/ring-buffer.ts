/**
 * The last `limit` characters of a terminal's output, so a page that (re)attaches gets the
 * screen back. Trimming prefers a line start, which keeps most escape sequences whole.
 */
export class OutputRing {
  private chunks: string[] = [];
  private size = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  append(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.size += text.length;
    if (this.size > this.limit * 1.5) this.compact();
  }

  private compact(): void {
    let all = this.chunks.join('');
    if (all.length > this.limit) {
      const cut = all.length - this.limit;
      const nl = all.indexOf('\n', cut);
      all = all.slice(nl >= 0 && nl - cut < 2000 ? nl + 1 : cut);
    }
    this.chunks = [all];
    this.size = all.length;
  }

  text(): string {
    this.compact();
    return this.chunks[0] ?? '';
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}

/**
 * Turns a TTY's byte chunks into text without breaking characters: a multi-byte UTF-8
 * sequence split across two chunks is held back until its last byte arrives.
 */
export class OutputDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  push(chunk: Uint8Array): string {
    return this.decoder.decode(chunk, { stream: true });
  }

  /** Whatever is left (an incomplete sequence becomes U+FFFD). */
  end(): string {
    return this.decoder.decode();
  }
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}...`;
}

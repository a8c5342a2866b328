import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with each non-empty line (trimmed) of a UTF-8 text stream as its
 * newline arrives, e.g. the events of a watch response; a last line without a newline is dropped.
 */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) onLine(line);
    }
  });
}

// Wire readers for provider streams: Server-Sent Events (OpenAI, Anthropic) and NDJSON (Ollama). Both take the body
// as it arrives, split anywhere (mid-line, mid-character), and yield whole messages.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

type Body = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

async function* chunks(body: Body): AsyncGenerator<string> {
  const dec = new TextDecoder();
  // Node's web ReadableStream is async-iterable; the cast covers DOM lib typings that say otherwise.
  for await (const c of body as AsyncIterable<Uint8Array>) {
    const s = dec.decode(c, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}

/** SSE events (`event:` + `data:` lines, blank-line separated; comments and `retry:` skipped). */
export async function* sseEvents(body: Body): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e) });
  for await (const s of chunks(body)) {
    parser.feed(s);
    while (queue.length) yield queue.shift()!;
  }
  // A last event without its closing blank line still counts (some servers end the stream right after `data:`).
  parser.feed('\n\n');
  while (queue.length) yield queue.shift()!;
}

/** One parsed JSON value per non-empty line. A line that is not JSON throws with the line (shortened). */
export async function* ndjsonLines(body: Body): AsyncGenerator<unknown> {
  let buf = '';
  const parse = (line: string) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new Error(`not a JSON line: ${line.slice(0, 200)}`);
    }
  };
  for await (const s of chunks(body)) {
    buf += s;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield parse(line);
    }
  }
  if (buf.trim()) yield parse(buf.trim());
}

/**
 * Large answers written to the socket as they are read (issue 15): chunk by chunk, waiting for 'drain'
 * when the client reads slower than we write, giving the event loop a turn between chunks so light
 * requests are served in between, and stopping at a deadline.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ServerResponse } from 'node:http';
import { addDays, type IsoDate } from '../core/dates.js';

export interface StreamLimits {
  /** How long (ms) a heavy request may read from the store (default 30,000). */
  deadlineMs: number;
  /** How long (ms) a client may leave a chunk unread before it is cut off (default 30,000). */
  drainMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { deadlineMs: 30_000, drainMs: 30_000 };

/**
 * GET /api/events pages: `default` events when no limit is given, at most `max`; pages over `light` are
 * heavy requests (queued). Events are read from the store `chunk` at a time, each chunk sent before the
 * next is read.
 */
export const EVENT_PAGE = { default: 1000, max: 100_000, light: 1000, chunk: 250 } as const;

/** When a request's reading must stop. */
export class Deadline {
  readonly at: number;
  constructor(readonly ms: number) {
    this.at = Date.now() + ms;
  }
  get passed(): boolean {
    return Date.now() >= this.at;
  }
}

/** Let the event loop run what is waiting (other requests' I/O) before going on. */
export function yieldToLoop(): Promise<void> {
  return nextTurn();
}

/**
 * A JSON answer made chunk by chunk (the chunks together are the JSON text), written by `sendChunks`.
 * A route returns one instead of an object; it takes a turn in its queue first (docs/server.md).
 */
export class StreamedJson {
  constructor(
    readonly chunks: (deadline: Deadline) => AsyncIterable<string>,
    readonly queue: 'heavy' | 'pages',
  ) {}
}

/** The client closed the connection (or stopped reading for too long): nothing more can be sent. */
export class ClientGoneError extends Error {}

/**
 * Write `text` to `res`, resolving when it may take more: at once when the socket's buffer has room,
 * else on 'drain'. Rejects if the client goes away or leaves the buffer full for `drainMs`.
 */
export function writeChunk(res: ServerResponse, text: string | Uint8Array, drainMs = DEFAULT_STREAM_LIMITS.drainMs): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.reject(new ClientGoneError('the client went away'));
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new ClientGoneError('the client went away'));
    const timer = setTimeout(() => {
      done(new ClientGoneError(`the client read nothing for ${drainMs / 1000} s`));
      res.destroy();
    }, drainMs);
    res.on('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Send a streamed answer: the headers once the first chunk is ready (so an error before it is still an
 * ordinary error answer), then every chunk with backpressure and a turn of the event loop between. An
 * error after the first chunk can only cut the connection (the caller's error handler does).
 */
export async function sendChunks(res: ServerResponse, chunks: AsyncIterable<string>, headers: Record<string, string>, drainMs = DEFAULT_STREAM_LIMITS.drainMs): Promise<void> {
  let started = false;
  for await (const chunk of chunks) {
    if (!started) {
      res.writeHead(200, headers);
      started = true;
    }
    if (chunk) await writeChunk(res, chunk, drainMs);
    await yieldToLoop();
  }
  if (!started) res.writeHead(200, headers);
  res.end();
}

/**
 * Consecutive date windows covering every day (the first open at its start, the last at its end, no gap
 * between), each holding about `target` of the counted events: a long scan read window by window, the
 * event loop free between them. A day with more than `target` events is a window of its own.
 */
export function dayWindows(counts: readonly { start: string; count: number }[], target: number): { since?: string; until?: string }[] {
  const cuts: string[] = []; // the first day of each window after the first
  let n = 0;
  for (let i = 0; i < counts.length; i++) {
    n += counts[i]!.count;
    const following = counts[i + 1];
    if (n >= target && following) {
      cuts.push(following.start);
      n = 0;
    }
  }
  if (!cuts.length) return [{}];
  const windows: { since?: string; until?: string }[] = [];
  for (let k = 0; k <= cuts.length; k++) {
    windows.push({ ...(k > 0 ? { since: cuts[k - 1]! } : {}), ...(k < cuts.length ? { until: addDays(cuts[k]! as IsoDate, -1) } : {}) });
  }
  return windows;
}

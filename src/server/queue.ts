/**
 * Heavy requests (big event pages, full scans for the map and the charts, exports) run a few at a time;
 * others wait in a bounded line, and beyond it, or after waiting too long, are told to come back (503
 * with Retry-After). Light routes never enter it, so they never wait behind a heavy one (issue 15).
 */

export interface HeavyLimits {
  /** Heavy requests served at once (default 2: the machine's two cores, one process). */
  running: number;
  /** Heavy requests that may wait for a turn (default 16); the next is refused at once. */
  waiting: number;
  /** How long one may wait (ms, default 10,000) before it is refused. */
  waitMs: number;
}

export const DEFAULT_HEAVY_LIMITS: HeavyLimits = { running: 2, waiting: 16, waitMs: 10_000 };

/** The server is busy with heavy requests: come back in `retryAfter` seconds. */
export class BusyError extends Error {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

interface Waiter {
  grant: (release: () => void) => void;
  refuse: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class HeavyQueue {
  readonly limits: HeavyLimits;
  private active = 0;
  private readonly line: Waiter[] = [];

  constructor(limits: Partial<HeavyLimits> = {}) {
    this.limits = { ...DEFAULT_HEAVY_LIMITS, ...limits };
    const { running, waiting, waitMs } = this.limits;
    if (!(Number.isInteger(running) && running >= 1 && Number.isInteger(waiting) && waiting >= 0 && waitMs >= 0)) {
      throw new RangeError(`heavy request limits: running must be a whole number ≥ 1, waiting a whole number ≥ 0 and waitMs ≥ 0 (given ${JSON.stringify(limits)})`);
    }
  }

  /** Heavy requests being served, and waiting. */
  get stats(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.line.length };
  }

  /**
   * A turn: resolves with its release (call it once done, however it ended) when one is free. Refuses
   * (BusyError) when the line is full or the wait grows past `waitMs`; a request whose client went away
   * (`signal` aborted) leaves the line.
   */
  enter(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.limits.running) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.line.length >= this.limits.waiting) {
      return Promise.reject(new BusyError(`the server is busy with ${this.active} large requests and ${this.line.length} waiting: try again shortly, or ask for less (a smaller limit, a shorter date range)`, this.retryAfter()));
    }
    return new Promise((grant, refuse) => {
      const leave = (err: Error): void => {
        const i = this.line.indexOf(waiter);
        if (i >= 0) this.line.splice(i, 1);
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', onAbort);
        refuse(err);
      };
      const onAbort = (): void => leave(new BusyError('the client went away while waiting', 1));
      const waiter: Waiter = {
        grant: (release) => {
          clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', onAbort);
          grant(release);
        },
        refuse: leave,
        timer: setTimeout(() => leave(new BusyError(`waited ${(this.limits.waitMs / 1000).toFixed(0)} s for a turn among ${this.active} large requests: try again shortly, or ask for less`, this.retryAfter())), this.limits.waitMs),
      };
      this.line.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Run `work` in a turn. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.enter(signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Seconds a refused client should wait: about a turn per request ahead of it, at least one. */
  private retryAfter(): number {
    return Math.max(1, Math.min(30, Math.ceil((this.active + this.line.length) / this.limits.running)));
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.line.shift();
      if (next) next.grant(this.releaser()); // the turn passes on: `active` stays the same
      else this.active--;
    };
  }
}

/** Where a problem was found in an input, so a user can open the file at the right line. */
export interface Location {
  file?: string;
  line?: number;
  field?: string;
}

/** Base of every error Frontline raises on purpose: the message says what to do next. */
export class FrontlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A row or value in an imported file that cannot be taken as it is. */
export class ImportError extends FrontlineError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly reason: string;
  constructor(reason: string, where: Location = {}) {
    super(`${formatLocation(where)}${reason}`);
    this.reason = reason;
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

/** A request that is well formed but asks for something the store does not hold or refuses. */
export class NotFoundError extends FrontlineError {}
export class ConflictError extends FrontlineError {}
export class UsageError extends FrontlineError {}
/**
 * The store cannot serve this just now (its server is down or restarting, or another writer holds the
 * lock past every retry): try again shortly. The server answers 503 with `Retry-After: retryAfterSeconds`.
 */
export class UnavailableError extends FrontlineError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A store error that says another writer is in the way, not that the request is wrong: SQLite's
 * SQLITE_BUSY / SQLITE_LOCKED (and their extended codes), PostgreSQL's lock_timeout (55P03), deadlock
 * (40P01) and serialization failure (40001). The stores retry these; one that still escapes means 503.
 */
export function isLockConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^SQLITE_(BUSY|LOCKED)/.test(code) || code === '55P03' || code === '40P01' || code === '40001');
}

export function formatLocation(where: Location): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.line !== undefined) parts.push(String(where.line));
  const head = parts.join(':');
  const field = where.field ? `${head ? ' ' : ''}field ${where.field}` : '';
  return head || field ? `${head}${field}: ` : '';
}

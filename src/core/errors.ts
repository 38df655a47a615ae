/**
 * One error template for every user mistake: the place, the value and what is allowed
 * (style.md "Errors"). The CLI prints `message` on one line and exits with code 2;
 * no stack trace is shown for a `UserError`.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** Where the mistake is, e.g. `device.dwMin` or `--set`. */
  readonly field: string;
  /** What the user gave, printed with JSON quoting. */
  readonly value: unknown;
  /** What is allowed, e.g. `must be > 0` or `one of: a, b`. */
  readonly allowed: string;

  readonly context: string;

  constructor(field: string, value: unknown, allowed: string, context = 'config error', location?: string) {
    super(`${context} at ${field}${location ? ` (${location})` : ''}: ${allowed}, got ${formatValue(value)}`);
    this.field = field;
    this.value = value;
    this.allowed = allowed;
    this.context = context;
  }

  /** The same error, pointing at a place in a file (e.g. `examples/x.yaml:12:5`). */
  at(location: string): UserError {
    return new UserError(this.field, this.value, this.allowed, this.context, location);
  }
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

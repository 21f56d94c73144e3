// Waiting for something the stack does on its own time (an email, a record), without assuming how long it
// takes: poll until it is there, and fail with a sentence saying what never came.

const POLL_MS = 150;
const DEFAULT_DEADLINE_MS = 90_000;

/**
 * Resolves with the first value `look` finds (anything but undefined). Rejects after the deadline with
 * `what` and, when given, `explain()`: what the stack looked like then.
 */
export async function eventually<T>(
  what: string,
  look: () => T | undefined | Promise<T | undefined>,
  options: { timeoutMs?: number; explain?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_DEADLINE_MS);
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(`never happened: ${what}${options.explain ? `\n${options.explain()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

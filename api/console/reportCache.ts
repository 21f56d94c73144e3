// The reports a console page draws (the health report's figures, a playbook's funnel) read whole collections:
// FerretDB serves nothing but `_id` equality from an index, so with 20,000 members one report takes seconds,
// and the Overview computes three. A page is answered from the last report computed for its key while it is
// younger than `freshMs`; an older one is still answered at once, and a new one is computed behind it (one at
// a time per key), so that a manager waits for a report only the first time a page asks for it. Each answer
// says when its figures were computed, and the page shows it.

export interface Cached<T> {
  value: T;
  /** ms epoch the value was computed at. */
  computedAt: number;
}

export interface ReportCacheOptions {
  /** How long a report is served without computing it again. */
  freshMs: number;
  /** Keys kept at most (playbook versions): the least recently computed goes first. */
  maxKeys: number;
  clock: () => number;
  /** Told about a refresh behind an answer that failed (the stale report stays). */
  onRefreshError: (error: unknown) => void;
}

export function reportCache<A extends unknown[], T>(
  compute: (...args: A) => Promise<T>,
  keyOf: (...args: A) => string,
  options: ReportCacheOptions,
): (...args: A) => Promise<Cached<T>> {
  const done = new Map<string, Cached<T>>();
  const running = new Map<string, Promise<Cached<T>>>();

  const refresh = (key: string, args: A): Promise<Cached<T>> => {
    const inFlight = running.get(key);
    if (inFlight) return inFlight;
    const computedAt = options.clock();
    const next = compute(...args)
      .then((value) => {
        const cached = { value, computedAt };
        done.delete(key);
        done.set(key, cached);
        for (const oldest of done.keys()) {
          if (done.size <= options.maxKeys) break;
          done.delete(oldest);
        }
        return cached;
      })
      .finally(() => running.delete(key));
    running.set(key, next);
    return next;
  };

  return async (...args) => {
    const key = keyOf(...args);
    const cached = done.get(key);
    if (cached === undefined) return refresh(key, args);
    if (options.clock() - cached.computedAt >= options.freshMs) {
      refresh(key, args).catch(options.onRefreshError);
    }
    return cached;
  };
}

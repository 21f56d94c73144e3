// Seconds since a performance.now() mark, for the "took 4.2s" in what the scripts print.
export const since = (started) => `${((performance.now() - started) / 1000).toFixed(1)}s`;

// What the compiler tells a manager: one problem, in one file, at one line and column, in their words.

export interface Diagnostic {
  /** The file as the manager sees it, e.g. `playbooks/onboarding.yaml`. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Past this many problems in one file, the rest are counted, not listed: the first ones are the ones to fix. */
export const MAX_DIAGNOSTICS_PER_FILE = 50;

/** `playbooks/onboarding.yaml:14:7  unknown step "send_mail" (did you mean "send_email"?)` */
export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${d.file}:${d.line}:${d.col}  ${prefix}${d.message}`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/**
 * Sorted by file and position, without repeats (a partial checked from two emails reports its problem once),
 * and at most MAX_DIAGNOSTICS_PER_FILE per file followed by one line saying how many more there are.
 */
export function finishDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = [...diagnostics].sort(compareDiagnostics).filter((d) => {
    const key = formatDiagnostic(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const perFile = new Map<string, Diagnostic[]>();
  for (const d of unique) perFile.set(d.file, [...(perFile.get(d.file) ?? []), d]);
  return [...perFile.values()].flatMap((list) => {
    if (list.length <= MAX_DIAGNOSTICS_PER_FILE) return list;
    const shown = list.slice(0, MAX_DIAGNOSTICS_PER_FILE);
    const rest = list.slice(MAX_DIAGNOSTICS_PER_FILE);
    const first = rest[0];
    if (!first) return shown;
    const errors = rest.filter((d) => d.severity === 'error').length;
    return [
      ...shown,
      {
        ...first,
        severity: errors > 0 ? 'error' : 'warning',
        message: `... and ${rest.length} more in this file`,
      },
    ];
  });
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

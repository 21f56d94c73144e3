// Which peer an `introduce` step picks, as one rule for the introduce activity (over MongoDB) and `tend preview`
// (over the peers it holds), so that a preview picks the peer a real run would, given the same records.
//
// A peer is an active member, not the member, whose address still takes email, who shares at least one value
// of every `same` field with the member (and the member's value of the `within` field, when given), and who
// was never introduced to them, in either direction, by any playbook. Of those, the one sharing the most
// values wins, then the one introduced least often, then the smallest id, so the choice is reproducible.

import { invalidInput } from '../../contract/errors.js';
import { isSafeName } from './safeData.js';

/** A member as the rule reads it: its id, status and email status, and the fields it matches on. */
export interface PeerCandidate {
  _id: string;
  status?: string;
  emailStatus?: string;
}

export interface Wanted {
  same: { path: string; values: Scalar[] }[];
  within: { path: string; value: Scalar } | null;
}
type Scalar = string | number | boolean;

/** A `same`/`within` field as a path in the member record: `interests`, `profile.languages`. */
export function memberPath(field: string): string {
  const path = String(field).replace(/^member\./, '');
  if (!path.split('.').every(isSafeName)) throw invalidInput(`introduce: "${field}" is not a member field`);
  return path;
}

/** The member's values to match on, or why there are none. */
export function matchValues(member: object, same: string[], within: string | null): Wanted | string {
  const wanted: Wanted = { same: [], within: null };
  for (const path of same) {
    const values = scalarsAt(member, path);
    if (values.length === 0) return `the member has no ${path}`;
    wanted.same.push({ path, values });
  }
  if (within !== null) {
    const [value] = scalarsAt(member, within);
    if (value === undefined) return `the member has no ${within}`;
    wanted.within = { path: within, value };
  }
  return wanted;
}

/** Whether a candidate may be introduced; `excluded` holds the member and everyone introduced to them. */
export function fitsAsPeer(candidate: PeerCandidate, wanted: Wanted, excluded: ReadonlySet<string>): boolean {
  if (candidate.status !== 'active' || excluded.has(candidate._id)) return false;
  if (candidate.emailStatus === 'bounced' || candidate.emailStatus === 'complained') return false;
  const { within } = wanted;
  return (
    wanted.same.every(({ path, values }) => overlap(values, scalarsAt(candidate, path)) > 0) &&
    (within === null || scalarsAt(candidate, within.path).includes(within.value))
  );
}

/** The ids of the fitting candidates that share the most values with the member. */
export function mostSharing(
  wanted: Wanted,
  candidates: PeerCandidate[],
  excluded: ReadonlySet<string>,
): string[] {
  const scored = candidates
    .filter((candidate) => fitsAsPeer(candidate, wanted, excluded))
    .map((candidate) => ({
      id: candidate._id,
      shared: wanted.same.reduce(
        (sum, { path, values }) => sum + overlap(values, scalarsAt(candidate, path)),
        0,
      ),
    }));
  const most = Math.max(...scored.map((candidate) => candidate.shared));
  return scored.filter((candidate) => candidate.shared === most).map((candidate) => candidate.id);
}

/** Of the most sharing, the one introduced least often (`counts`, absent: never), then the smallest id. */
export function choosePeer(best: string[], counts: ReadonlyMap<string, number>): string | null {
  const order = [...best].sort(
    (a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return order[0] ?? null;
}

/** The text, number and true/false values at a path; a list gives each of its items. */
function scalarsAt(document: object, path: string): Scalar[] {
  let value: unknown = document;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment))
      return [];
    const next: unknown = Reflect.get(value, segment);
    value = next;
  }
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is Scalar =>
      typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean',
  );
}

function overlap(wanted: Scalar[], theirs: Scalar[]): number {
  const mine = new Set(wanted);
  return new Set(theirs.filter((value) => mine.has(value))).size;
}

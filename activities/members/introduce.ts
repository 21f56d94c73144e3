// introduce: picks a peer for the run's member and records the introduction. The workflow then sends the
// email to both (deliver, to the member and `to: peer`).
//
// A peer is an active member, not the member, whose address still takes email, who shares at least one value
// of every `same` field with the member (and the member's value of the `within` field, when given), and who
// was never introduced to them, in either direction, by any playbook. Of those, the one sharing the most
// values wins, then the one introduced least often, then the smallest id, so the choice is reproducible.
//
// Idempotent per run and step: a retry finds the introduction it recorded and returns the same peer. Two runs
// that pick the same pair at once both try to record it; the unique pair key lets one win, and the other
// picks again.

import type { Models } from '../../db/index.js';
import { isDuplicateKeyError, pairKey } from '../../db/index.js';
import type { IntroduceOutcome } from '../../contract/runtime.js';
import { invalidInput } from '../../contract/errors.js';
import { runIdentity, type IntroduceInput } from '../../contract/activityPayloads.js';
import { refreshFacts } from '../../domain/memberActivity/record.js';
import { isSafeName } from '../../domain/members/safeData.js';

type IntroductionModels = Pick<Models, 'members' | 'introductions' | 'activities'>;
type Document = Record<string, unknown>;

/** How many members' introduction counts are read per query, to keep each `$in` list small. */
const COUNT_BATCH = 500;

export function createIntroduce(deps: { models: IntroductionModels; clock: () => number }) {
  const { models, clock } = deps;

  return async function introduce({ run, request }: IntroduceInput): Promise<IntroduceOutcome> {
    const runId = runIdentity(run);
    /** Both members' `activity.introductions` count it; set again on a retry, which changes nothing. */
    const matched = async (peerId: string): Promise<IntroduceOutcome> => {
      await Promise.all([refreshFacts(models, String(run.memberId)), refreshFacts(models, peerId)]);
      return { status: 'matched', peerId };
    };
    const stepId = String(request.stepId);
    const same = request.same.map(memberPath);
    const within = request.within === null ? null : memberPath(request.within);
    const memberId = String(run.memberId);

    for (;;) {
      const earlier = await models.introductions.findOne({ runId, stepId }).lean().exec();
      if (earlier !== null) return matched(earlier.peerId);

      const member = await models.members.findById(memberId).lean<Document>().exec();
      if (member === null) return { status: 'skipped', reason: 'nobody fits: the member is not found' };
      const wanted = matchValues(member, same, within);
      if (typeof wanted === 'string') return { status: 'skipped', reason: `nobody fits: ${wanted}` };

      const peerId = await bestPeer(models, memberId, same, within, wanted);
      if (peerId === null) return { status: 'skipped', reason: `nobody fits: ${nobodyLeft(same, within)}` };
      try {
        await models.introductions.create({
          pairKey: pairKey(memberId, peerId),
          memberIds: [memberId, peerId],
          memberId,
          peerId,
          runId,
          stepId,
          playbook: run.playbook,
          createdAt: new Date(clock()),
        });
        return matched(peerId);
      } catch (error) {
        // Either this step's own earlier attempt recorded it (found at the top), or another run introduced
        // the pair a moment ago (then it is excluded on the next pick).
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  };
}

interface Wanted {
  same: { path: string; values: Scalar[] }[];
  within: { path: string; value: Scalar } | null;
}
type Scalar = string | number | boolean;

/** The member's values to match on, or why there are none. */
function matchValues(member: Document, same: string[], within: string | null): Wanted | string {
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

async function bestPeer(
  models: IntroductionModels,
  memberId: string,
  same: string[],
  within: string | null,
  wanted: Wanted,
): Promise<string | null> {
  const introduced = await models.introductions
    .find({ memberIds: memberId })
    .select({ memberIds: 1 })
    .lean()
    .exec();
  const excluded = [
    memberId,
    ...introduced.flatMap((intro) => intro.memberIds.filter((id) => id !== memberId)),
  ];
  const candidates = await models.members
    .find({
      $and: [
        { status: 'active' },
        { _id: { $nin: excluded } },
        { emailStatus: { $nin: ['bounced', 'complained'] } },
        ...wanted.same.map(({ path, values }) => ({ [path]: { $in: values } })),
        ...(wanted.within === null ? [] : [{ [wanted.within.path]: wanted.within.value }]),
      ],
    })
    .select(Object.fromEntries([...same, ...(within === null ? [] : [within])].map((path) => [path, 1])))
    .lean<Document[]>()
    .exec();
  if (candidates.length === 0) return null;

  const scored = candidates.map((candidate) => ({
    id: String(candidate._id),
    shared: wanted.same.reduce(
      (sum, { path, values }) => sum + overlap(values, scalarsAt(candidate, path)),
      0,
    ),
  }));
  const most = Math.max(...scored.map((candidate) => candidate.shared));
  const best = scored.filter((candidate) => candidate.shared === most).map((candidate) => candidate.id);
  const counts = await introductionCounts(models, best);
  best.sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  return best[0] ?? null;
}

async function introductionCounts(models: IntroductionModels, ids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < ids.length; start += COUNT_BATCH) {
    const batch = ids.slice(start, start + COUNT_BATCH);
    const intros = await models.introductions
      .find({ memberIds: { $in: batch } })
      .select({ memberIds: 1 })
      .lean()
      .exec();
    for (const intro of intros) {
      for (const id of intro.memberIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

/** A `same`/`within` field as a path in the member record: `interests`, `profile.languages`. */
function memberPath(field: string): string {
  const path = String(field).replace(/^member\./, '');
  if (!path.split('.').every(isSafeName)) throw invalidInput(`introduce: "${field}" is not a member field`);
  return path;
}

/** The text, number and true/false values at a path; a list gives each of its items. */
function scalarsAt(document: Document, path: string): Scalar[] {
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

function nobodyLeft(same: string[], within: string | null): string {
  const inGroup = within === null ? '' : ` in the same ${within}`;
  const sharing = same.length === 0 ? '' : ` who shares ${same.join(' and ')}`;
  return `no active member${inGroup}${sharing} is left to introduce`;
}

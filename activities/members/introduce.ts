// introduce: picks a peer for the run's member and records the introduction. The workflow then sends the
// email to both (deliver, to the member and `to: peer`).
//
// Which peer is the rule of domain/members/peerChoice.ts (shared with `tend preview`); this module queries
// MongoDB for the candidates the rule may pick and the introduction counts that break ties.
//
// Idempotent per run and step: a retry finds the introduction it recorded and returns the same peer. Two runs
// that pick the same pair at once both try to record it; the unique pair key lets one win, and the other
// picks again.

import type { Models } from '../../db/index.js';
import { isDuplicateKeyError, pairKey } from '../../db/index.js';
import type { IntroduceOutcome } from '../../contract/runtime.js';
import { runIdentity, type IntroduceInput } from '../../contract/activityPayloads.js';
import { refreshFacts } from '../../domain/memberActivity/record.js';
import {
  choosePeer,
  matchValues,
  memberPath,
  mostSharing,
  type PeerCandidate,
  type Wanted,
} from '../../domain/members/peerChoice.js';

type IntroductionModels = Pick<Models, 'members' | 'introductions' | 'activities' | 'memberIndex'>;

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

      const member = await models.members.findById(memberId).lean<PeerCandidate>().exec();
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
  const excluded = new Set([memberId, ...introduced.flatMap((intro) => intro.memberIds)]);
  const candidates = await models.members
    .find({
      $and: [
        { status: 'active' },
        { _id: { $nin: [...excluded] } },
        { emailStatus: { $nin: ['bounced', 'complained'] } },
        ...wanted.same.map(({ path, values }) => ({ [path]: { $in: values } })),
        ...(wanted.within === null ? [] : [{ [wanted.within.path]: wanted.within.value }]),
      ],
    })
    .select(
      Object.fromEntries(
        ['status', 'emailStatus', ...same, ...(within === null ? [] : [within])].map((path) => [path, 1]),
      ),
    )
    .lean<PeerCandidate[]>()
    .exec();
  const best = mostSharing(wanted, candidates, excluded);
  return choosePeer(best, await introductionCounts(models, best));
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

function nobodyLeft(same: string[], within: string | null): string {
  const inGroup = within === null ? '' : ` in the same ${within}`;
  const sharing = same.length === 0 ? '' : ` who shares ${same.join(' and ')}`;
  return `no active member${inGroup}${sharing} is left to introduce`;
}

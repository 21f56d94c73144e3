// Keeping the waiting applications (db/applications.ts) in step with the members, and reading them.

import type { MemberDoc, Models } from '../../db/index.js';
import { eachById } from '../memberIndex/read.js';

export type ApplicationModels = Pick<Models, 'members' | 'applications'>;

/**
 * Makes the member's application match their record: listed while their status is `applied`, gone
 * otherwise. Idempotent.
 */
export async function syncApplication(models: ApplicationModels, memberId: string): Promise<void> {
  const id = String(memberId);
  const member = await models.members.findById(id, { status: 1, joinedAt: 1 }).lean<MemberDoc>().exec();
  await applicationFrom(models, id, member);
}

/**
 * As `syncApplication`, from the member as already read (null when there is no such member): called after
 * every write that can change the status or when they applied.
 */
export async function applicationFrom(
  models: ApplicationModels,
  id: string,
  member: Pick<MemberDoc, 'status' | 'joinedAt'> | null,
): Promise<void> {
  if (member?.status === 'applied') {
    // A member.applied event sets no `joinedAt` (that is the approval): the application then dates from when
    // it was first listed, which is when Tend applied the event.
    const at = member.joinedAt ? { $set: { at: member.joinedAt } } : { $setOnInsert: { at: new Date() } };
    await models.applications.updateOne({ _id: id }, at, { upsert: true }).exec();
  } else {
    await models.applications.deleteOne({ _id: id }).exec();
  }
}

export interface Applicant {
  member: MemberDoc;
  /** When they applied (db/applications.ts). */
  appliedAt: Date;
}

export interface WaitingApplications {
  /** The oldest applications, up to the limit, oldest first. */
  applicants: Applicant[];
  count: number;
}

/**
 * The applications waiting, oldest first. Each applicant shown is read and checked: one the host platform
 * has decided on meanwhile is left out, and their application removed.
 */
export async function waitingApplications(
  models: ApplicationModels,
  limit: number,
): Promise<WaitingApplications> {
  const [listed, count] = await Promise.all([
    models.applications.find({}).sort({ at: 1, _id: 1 }).limit(limit).lean().exec(),
    models.applications.countDocuments({}).exec(),
  ]);
  const members = await eachById(listed, (application) =>
    models.members.findById(application._id).lean<MemberDoc>().exec(),
  );
  const applicants: Applicant[] = [];
  let gone = 0;
  for (const [index, application] of listed.entries()) {
    const member = members[index] ?? null;
    if (member?.status === 'applied') applicants.push({ member, appliedAt: application.at });
    else {
      gone += 1;
      await applicationFrom(models, application._id, member);
    }
  }
  return { applicants, count: count - gone };
}

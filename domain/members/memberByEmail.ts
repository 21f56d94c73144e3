// Finding a member by email address: through the address's key (db/memberEmails.ts), checked against the
// member it names, and by the members collection itself when there is no key or it is stale (a member the
// host platform wrote, or whose address it changed), which writes the key for next time.

import { upsertRacing, type MemberDoc, type Models } from '../../db/index.js';

export type MemberByEmailModels = Pick<Models, 'members' | 'memberEmails'>;

/** The member with this address (lowercased and trimmed, as stored), or null. */
export async function memberByEmail(models: MemberByEmailModels, email: string): Promise<MemberDoc | null> {
  return (await keyedMember(models, email)) ?? foundMember(models, email);
}

/** The member the address's key names, when they still have the address; no scan. */
export async function keyedMember(models: MemberByEmailModels, address: string): Promise<MemberDoc | null> {
  const email = stored(address);
  const key = await models.memberEmails.findById(email).lean().exec();
  if (key === null) return null;
  const member = await models.members.findById(key.memberId).lean<MemberDoc>().exec();
  return member?.email === email ? member : null;
}

/** Looks the address up in the members collection (a scan on FerretDB), and keys what it finds. */
async function foundMember(models: MemberByEmailModels, address: string): Promise<MemberDoc | null> {
  const email = stored(address);
  const member = await models.members.findOne({ email }).lean<MemberDoc>().exec();
  if (member !== null) await keyEmail(models, email, member._id);
  return member;
}

/** Writes (or corrects) the address's key. */
export async function keyEmail(
  models: MemberByEmailModels,
  address: string,
  memberId: string,
): Promise<void> {
  await upsertRacing(() =>
    models.memberEmails.updateOne({ _id: stored(address) }, { $set: { memberId } }, { upsert: true }).exec(),
  );
}

/** An address as `members.email` stores it (db/members.ts: lowercase, trim). */
function stored(address: string): string {
  return address.trim().toLowerCase();
}

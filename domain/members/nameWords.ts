// The words of members' names and addresses (db/nameWords.ts): what they are, entering them, and finding the
// members who have every word of a search.

import { upsertInPages, type MemberDoc, type Models } from '../../db/index.js';
import { eachById } from '../memberIndex/read.js';

export type NameWordModels = Pick<Models, 'members' | 'nameWords'>;
type WordedMember = Pick<MemberDoc, '_id' | 'name' | 'firstName' | 'email'>;

/** The distinct words of a text: runs of letters and digits, lowercased. */
export function wordsIn(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((word) => word.length > 0);
}

/** The words a member is found by: those of their name, first name and address. */
export function memberWords(member: Pick<MemberDoc, 'name' | 'firstName' | 'email'>): string[] {
  return wordsIn([member.name ?? '', member.firstName ?? '', member.email].join(' '));
}

/** Enters the member, as just read after a write that may change their words, under each of them. */
export async function enterMemberWords(
  models: Pick<Models, 'nameWords'>,
  member: WordedMember,
): Promise<void> {
  await enterWords(models, new Map(memberWords(member).map((word) => [word, [member._id]])));
}

/** Enters members under words, 50 words to a command. */
export async function enterWords(
  models: Pick<Models, 'nameWords'>,
  byWord: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const updates = [...byWord].map(([word, memberIds]) => ({
    updateOne: {
      filter: { _id: word },
      update: { $addToSet: { memberIds: { $each: [...memberIds] } } },
      upsert: true,
    },
  }));
  await upsertInPages(models.nameWords, updates);
}

/**
 * Up to `limit` members who have every word of `text` in their name or address, each checked against their
 * record (a name can change; entries are never removed). Null when `text` has no word in it.
 */
export async function membersByWords(
  models: NameWordModels,
  text: string,
  limit: number,
): Promise<MemberDoc[] | null> {
  const words = wordsIn(text);
  if (words.length === 0) return null;
  const entries = await Promise.all(words.map((word) => models.nameWords.findById(word).lean().exec()));
  const lists = entries.map((entry) => entry?.memberIds ?? []).sort((a, b) => a.length - b.length);
  const candidates = lists.slice(1).reduce<string[]>((kept, list) => {
    const has = new Set(list);
    return kept.filter((id) => has.has(id));
  }, lists[0] ?? []);
  const found: MemberDoc[] = [];
  for (let start = 0; start < candidates.length && found.length < limit; start += limit) {
    const members = await eachById(candidates.slice(start, start + limit), (id) =>
      models.members.findById(id).lean<MemberDoc>().exec(),
    );
    for (const member of members) {
      if (member === null || found.length === limit) continue;
      const has = new Set(memberWords(member));
      if (words.every((word) => has.has(word))) found.push(member);
    }
  }
  return found;
}

// Members: the members who joined last, and finding a member by email or name. A whole address is found by
// its key (domain/members/memberByEmail.ts), whole words of a name or address by theirs
// (domain/members/nameWords.ts); anything else, or when the manager asks, is a case-insensitive match of the
// text inside every email and name, one scan with a limit on FerretDB. The text is escaped into a literal
// pattern: nothing typed is an operator.

import { Type } from '@sinclair/typebox';
import type { MemberDoc } from '../../db/index.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { formatTime } from './format.js';
import { consoleTemplate } from './view.js';
import { memberByEmail } from '../../domain/members/memberByEmail.js';
import { newestMembers } from '../../domain/members/newestMembers.js';
import { membersByWords } from '../../domain/members/nameWords.js';

export const SEARCH_LIMIT = 50;

const template = consoleTemplate(`
<form method="get" action="/console/members" class="filters" role="search">
<div><label for="q">Email or name</label><input type="search" id="q" name="q" value="{{q}}" maxlength="200"></div>
<div><button type="submit">Search</button></div>
</form>
{{#if searched}}<p class="muted">{{summary}}{{#if byWords}} <a href="/console/members?q={{qInUrl}}&amp;inside=1">Search inside every name and address instead</a> (slower).{{/if}}</p>{{/if}}
{{#if members.length}}<div class="scroll" tabindex="0" role="region" aria-label="Members"><table>
<thead><tr><th>Name</th><th>Email</th><th>Status</th><th>Joined</th></tr></thead>
<tbody>{{#each members}}<tr><td><a href="/console/members/{{id}}">{{name}}</a></td><td>{{email}}</td><td>{{status}}</td><td>{{joined}}</td></tr>{{/each}}</tbody>
</table></div>{{/if}}`);

const SearchQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), inside: Type.Optional(Type.Literal('1')) },
  { additionalProperties: false },
);

/** What a search found, and whether by whole words (db/nameWords.ts) rather than inside the text. */
interface Found {
  members: MemberDoc[];
  byWords: boolean;
}

export function membersPage(app: TendApp, context: ConsoleContext): void {
  const { models } = context;
  app.get(
    '/console/members',
    { config: { page: true }, schema: { hide: true, querystring: SearchQuery } },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim();
      const { timezone } = await context.community();
      const { members: found, byWords } =
        q === ''
          ? { members: await newest(), byWords: false }
          : await search(q, request.query.inside === '1');
      return context.page(request, reply, {
        title: 'Members',
        nav: 'members',
        template,
        values: {
          q,
          qInUrl: encodeURIComponent(q),
          byWords,
          searched: true,
          summary:
            q === ''
              ? `The ${found.length} members who joined last.`
              : found.length === 0
                ? `Nobody matches "${q}".`
                : `${found.length}${found.length === SEARCH_LIMIT ? '+' : ''} ${byWords ? 'with the words of' : 'matching'} "${q}".`,
          members: found.map((member) => ({
            id: member._id,
            name: member.name ?? member.firstName ?? '(no name)',
            email: member.email,
            status: member.status,
            joined: formatTime(member.joinedAt, member.timezone ?? timezone),
          })),
        },
      });
    },
  );

  function newest(): Promise<MemberDoc[]> {
    // From the join feed (db/joinFeed.ts): sorting every member by `joinedAt` took 0.9 s at 20,000.
    return newestMembers(models, SEARCH_LIMIT);
  }

  async function search(q: string, inside: boolean): Promise<Found> {
    // A whole address finds its member by key (domain/members/memberByEmail.ts).
    const exact = q.includes('@') ? await memberByEmail(models, q) : null;
    if (exact !== null) return { members: [exact], byWords: false };
    // Whole words (a first name, a surname) by their keys, unless asked to look inside the text.
    const byWords = inside ? null : await membersByWords(models, q, SEARCH_LIMIT);
    if (byWords !== null && byWords.length > 0) return { members: byWords, byWords: true };
    // Inside every name and address: one pattern over every member (1.4 s at 20,000 on FerretDB).
    const pattern = new RegExp(escapeRegExp(q), 'i');
    const members = await models.members
      .find({ $or: [{ email: { $regex: pattern } }, { name: { $regex: pattern } }] })
      .limit(SEARCH_LIMIT)
      .lean<MemberDoc[]>()
      .exec();
    return { members, byWords: false };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

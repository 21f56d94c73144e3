// Members: the members who joined last, and finding a member by email or name. A whole address is found by
// its key (domain/members/memberByEmail.ts); anything else is a case-insensitive match of the text in the
// email or the name, one scan with a limit on FerretDB. The text is escaped into a literal pattern: nothing
// typed is an operator.

import { Type } from '@sinclair/typebox';
import type { MemberDoc } from '../../db/index.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { formatTime } from './format.js';
import { consoleTemplate } from './view.js';
import { memberByEmail } from '../../domain/members/memberByEmail.js';
import { newestMembers } from '../../domain/members/newestMembers.js';

export const SEARCH_LIMIT = 50;

const template = consoleTemplate(`
<form method="get" action="/console/members" class="filters" role="search">
<div><label for="q">Email or name</label><input type="search" id="q" name="q" value="{{q}}" maxlength="200"></div>
<div><button type="submit">Search</button></div>
</form>
{{#if searched}}<p class="muted">{{summary}}</p>{{/if}}
{{#if members.length}}<div class="scroll" tabindex="0" role="region" aria-label="Members"><table>
<thead><tr><th>Name</th><th>Email</th><th>Status</th><th>Joined</th></tr></thead>
<tbody>{{#each members}}<tr><td><a href="/console/members/{{id}}">{{name}}</a></td><td>{{email}}</td><td>{{status}}</td><td>{{joined}}</td></tr>{{/each}}</tbody>
</table></div>{{/if}}`);

const SearchQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export function membersPage(app: TendApp, context: ConsoleContext): void {
  const { models } = context;
  app.get(
    '/console/members',
    { config: { page: true }, schema: { hide: true, querystring: SearchQuery } },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim();
      const { timezone } = await context.community();
      const found = q === '' ? await newest() : await search(q);
      return context.page(request, reply, {
        title: 'Members',
        nav: 'members',
        template,
        values: {
          q,
          searched: true,
          summary:
            q === ''
              ? `The ${found.length} members who joined last.`
              : found.length === 0
                ? `Nobody matches "${q}".`
                : `${found.length}${found.length === SEARCH_LIMIT ? '+' : ''} matching "${q}".`,
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

  async function search(q: string): Promise<MemberDoc[]> {
    // A whole address finds its member by key (domain/members/memberByEmail.ts) and ends the search: the
    // pattern below reads every member, 2 s at 20,000 on FerretDB.
    const exact = q.includes('@') ? await memberByEmail(models, q) : null;
    if (exact !== null) return [exact];
    const pattern = new RegExp(escapeRegExp(q), 'i');
    return models.members
      .find({ $or: [{ email: { $regex: pattern } }, { name: { $regex: pattern } }] })
      .limit(SEARCH_LIMIT)
      .lean<MemberDoc[]>()
      .exec();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

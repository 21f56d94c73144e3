// Applications: the join requests waiting for a decision, oldest first, with Approve and Decline buttons.
// A decision goes in as the same event the organisers' email links send (member.approved, member.declined),
// through the same acceptance, so the review run and onboarding react to it exactly as to a click in email.

import { Type } from '@sinclair/typebox';
import type { MemberDoc } from '../../db/index.js';
import { LONGEST_WAIT } from '../acceptEvents.js';
import { Conflict, NotFound } from '../errors.js';
import { ID_PATTERN } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { FormBody } from './forms.js';
import { formatTime, plural, relativeTime } from './format.js';
import { consoleTemplate } from './view.js';
import { waitingApplications } from '../../domain/members/applications.js';

const SHOWN = 100;

const template = consoleTemplate(`
{{#if decided}}<p class="notice" role="status">{{decided}}</p>{{/if}}
<p class="muted">{{summary}}</p>
{{#each applicants}}<section class="card" aria-label="{{who}}">
<p><a href="/console/members/{{id}}"><strong>{{who}}</strong></a> <span class="muted">{{email}}</span></p>
{{#if applied}}<p class="small muted">Applied {{applied}} ({{appliedRelative}})</p>{{/if}}
{{#if interests}}<p class="small muted">Interests: {{interests}}</p>{{/if}}
<form method="post" action="/console/applications/{{id}}/approve" class="inline"><input type="hidden" name="_csrf" value="{{../csrf}}"><button type="submit">Approve</button></form>
<form method="post" action="/console/applications/{{id}}/decline" class="inline"><input type="hidden" name="_csrf" value="{{../csrf}}"><button type="submit" class="secondary">Decline</button></form>
</section>{{/each}}`);

const Params = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, maxLength: 200 }),
    decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
  },
  { additionalProperties: false },
);
const DecidedQuery = Type.Object(
  {
    approved: Type.Optional(Type.String({ maxLength: 400 })),
    declined: Type.Optional(Type.String({ maxLength: 400 })),
  },
  { additionalProperties: false },
);

export function applicationsPage(app: TendApp, context: ConsoleContext): void {
  const { models } = context;

  app.get(
    '/console/applications',
    { config: { page: true }, schema: { hide: true, querystring: DecidedQuery } },
    async (request, reply) => {
      const now = Date.now();
      const { timezone } = await context.community();
      const { applicants, count } = await waitingApplications(models, SHOWN);
      const { approved, declined } = request.query;
      return context.page(request, reply, {
        title: 'Applications',
        nav: 'applications',
        template,
        values: {
          decided:
            approved !== undefined
              ? `${approved} is approved.`
              : declined !== undefined
                ? `${declined} is declined.`
                : null,
          summary:
            count === 0
              ? 'No applications are waiting.'
              : `${plural(count, 'application')} waiting${count > SHOWN ? `; the ${SHOWN} oldest are shown` : ''}.`,
          applicants: applicants.map(({ member, appliedAt }) => ({
            id: member._id,
            who: member.name ?? member.email,
            email: member.email,
            applied: formatTime(appliedAt, member.timezone ?? timezone),
            appliedRelative: relativeTime(appliedAt, now),
            interests: (member.interests ?? []).join(', '),
          })),
        },
      });
    },
  );

  app.post(
    '/console/applications/:id/:decision',
    { config: { page: true }, schema: { hide: true, params: Params, body: FormBody({}) } },
    async (request, reply) => {
      const { id, decision } = request.params;
      const member = await models.members.findById(id).lean<MemberDoc>().exec();
      if (member === null) throw new NotFound(`there is no member ${id}`);
      if (member.status !== 'applied') throw new Conflict(`${member.email} is ${member.status}, not waiting`);
      const type = decision === 'approve' ? 'member.approved' : 'member.declined';
      // One decision per application: pressing the button twice is the same event, a duplicate.
      const applied = member.joinedAt?.getTime() ?? 0;
      await context.accept([{ type, id: `console:${decision}:${id}:${applied}`, memberId: id }], {
        where: () => 'form',
        // Applied before the page answers, so that the list it redirects to no longer shows the applicant.
        waitMs: LONGEST_WAIT,
      });
      request.log.info(
        { memberId: id, decision, manager: context.manager(request).email },
        'application decided',
      );
      const who = encodeURIComponent(member.name ?? member.email);
      return reply.redirect(
        `/console/applications?${decision === 'approve' ? 'approved' : 'declined'}=${who}`,
        303,
      );
    },
  );
}

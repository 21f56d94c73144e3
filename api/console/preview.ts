// Preview: pick a playbook and a member (one from the database, by email or id, or a made-up one) and see
// what the run would do, day by day, and every email as the member would get it. The same code as
// `tend preview`: the interpreter core over a virtual clock, the real delivery policy, the real templates,
// the same timeline lines. Nothing a preview does reaches the database or a mailbox.

import { Type } from '@sinclair/typebox';
import { DateTime } from 'luxon';
import { readPlanVersion } from '../../domain/plans/planStore.js';
import type { Plan } from '../../compiler/plan.js';
import type { MemberRecord } from '../../compiler/records.js';
import { readStoredRecords } from '../../preview/databaseRecords.js';
import { PreviewInputError } from '../../preview/previewInputError.js';
import { previewRun, type PreviewResult } from '../../preview/previewRun.js';
import { syntheticMember } from '../../preview/syntheticRecords.js';
import { previewReport } from '../../preview/previewReport.js';
import { localTime } from '../../preview/timeline.js';
import { NAME_PATTERN } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { consoleTemplate } from './view.js';

const template = consoleTemplate(`
<form method="get" action="/console/preview" class="filters">
<div><label for="playbook">Playbook</label><select id="playbook" name="playbook">{{#each playbooks}}<option value="{{id}}"{{#if selected}} selected{{/if}}>{{id}}</option>{{/each}}</select></div>
<div><label for="member">Member (email or id; empty: a made-up one)</label><input type="text" id="member" name="member" value="{{member}}" maxlength="320" size="28"></div>
<div><label for="start">Start ({{zone}})</label><input type="datetime-local" id="start" name="start" value="{{start}}"></div>
<div><button type="submit">Preview</button></div>
</form>
{{#if problem}}<p class="notice bad" role="alert">{{problem}}</p>{{/if}}
{{#if result}}
<div class="card"><p><strong>{{result.title}}</strong></p>{{#each result.notes}}<p class="small">{{this}}</p>{{/each}}</div>
<h2>Timeline</h2>
<pre>{{#each result.timeline}}{{this}}
{{/each}}{{result.end}}</pre>
<h2>Emails ({{result.emails.length}})</h2>
{{#each result.emails}}<section class="card" aria-label="Email {{number}}">
<p><strong>{{number}}. {{subject}}</strong></p>
<p class="small muted">{{when}} · {{template}} · to {{to}}</p>
<iframe sandbox="" title="Email {{number}}: {{subject}}" srcdoc="{{html}}"></iframe>
<details><summary>Plain text</summary><pre>{{text}}</pre></details>
</section>{{/each}}
{{/if}}`);

const PreviewQuery = Type.Object(
  {
    playbook: Type.Optional(Type.String({ pattern: NAME_PATTERN, maxLength: 63 })),
    member: Type.Optional(Type.String({ maxLength: 320 })),
    start: Type.Optional(
      Type.Union([
        Type.Literal(''),
        Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$' }),
      ]),
    ),
  },
  { additionalProperties: false },
);

export function previewPage(app: TendApp, context: ConsoleContext): void {
  app.get(
    '/console/preview',
    { config: { page: true }, schema: { hide: true, querystring: PreviewQuery } },
    async (request, reply) => {
      const { timezone } = await context.community();
      const reports = (await context.plans.playbooks()).filter((report) => report.version !== null);
      const chosen = request.query.playbook ?? reports[0]?.id;
      const member = (request.query.member ?? '').trim();
      const startText = request.query.start || null;
      const start =
        startText === null ? Date.now() : DateTime.fromISO(startText, { zone: timezone }).toMillis();
      const values = {
        playbooks: reports.map(({ id }) => ({ id, selected: id === chosen })),
        member,
        zone: timezone,
        start: DateTime.fromMillis(start, { zone: timezone }).toFormat("yyyy-LL-dd'T'HH:mm"),
        problem: null as string | null,
        result: null as ReturnType<typeof resultView> | null,
      };
      const report = reports.find(({ id }) => id === chosen);
      if (request.query.playbook !== undefined && report?.version) {
        const plan = await readPlanVersion(context.models, report.id, report.version);
        try {
          const previewed = await preview(context, plan, member, start);
          values.result = resultView(plan, previewed.member, previewed.result, start);
        } catch (error) {
          if (!(error instanceof PreviewInputError)) throw error;
          values.problem = error.message;
          reply.code(400);
        }
      } else if (request.query.playbook !== undefined) {
        values.problem = `${request.query.playbook} has no version in service to preview`;
        reply.code(404);
      }
      return context.page(request, reply, { title: 'Preview', nav: 'preview', template, values });
    },
  );
}

async function preview(
  context: ConsoleContext,
  plan: Plan,
  member: string,
  start: number,
): Promise<{ member: MemberRecord; result: PreviewResult }> {
  if (member === '') {
    const applying = plan.trigger.kind === 'event' && plan.trigger.event === 'member.applied';
    const made = syntheticMember(start, applying ? 'applied' : 'active');
    const result = await previewRun({
      plan,
      start,
      member: made,
      event: null,
      rsvp: null,
      upcomingEvents: null,
      peers: null,
      events: [],
    });
    return { member: made, result };
  }
  const stored = await readStoredRecords(context.models, {
    member,
    eventId: null,
    // emails7d is counted (a scan of the member's deliveries on FerretDB) only when the plan can read it.
    needs: {
      event: true,
      rsvp: true,
      upcomingEvents: plan.needs.upcomingEvents,
      emails7d: plan.needs.emails7d,
    },
    now: start,
    zone: plan.community.timezone,
  });
  const result = await previewRun({
    plan,
    start,
    member: stored.member,
    event: stored.event,
    rsvp: stored.rsvp,
    upcomingEvents: plan.needs.upcomingEvents ? stored.upcomingEvents : null,
    peers: null,
    events: [],
  });
  return { member: stored.member, result };
}

/** What the page shows of a preview: the lines `tend preview` prints, and each email. */
function resultView(plan: Plan, member: MemberRecord, result: PreviewResult, start: number) {
  return {
    ...previewReport(plan, member, start, result, ''),
    emails: result.emails.map((email, index) => ({
      number: index + 1,
      subject: email.subject,
      when: localTime(email.at, result.zone),
      template: email.template,
      to: email.to.join(', '),
      html: email.html,
      text: email.text,
    })),
  };
}

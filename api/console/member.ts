// A member's page: who they are, every run with its timeline (sent, held, skipped and why; the next
// wake-up), their activity, RSVPs and survey answers, the categories they left; and cancelling a run, behind
// a confirmation page (no script needed).

import { Type } from '@sinclair/typebox';
import type { DeliveryDoc, EventDoc, MemberDoc, RsvpDoc, SurveyResponseDoc } from '../../db/index.js';
import { activitiesOf, memberIndexOf, newestEntries, recordsOf } from '../../domain/memberIndex/read.js';
import { cancelRun } from '../cancelRun.js';
import { runKeyOfWorkflowId } from '../../domain/runs/runIds.js';
import { latestRun } from '../../domain/runs/runRecords.js';
import { NotFound } from '../errors.js';
import { RUN_ID_PATTERN } from '../routes/runs.js';
import { ID_PATTERN } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { FormBody } from './forms.js';
import { formatTime, outcomeTone, relativeTime } from './format.js';
import { factsLine, HISTORY_SHOWN, historyView } from './memberHistory.js';
import { JOURNALS_READ, memberRuns, type MemberRun } from './runStates.js';
import { consoleTemplate } from './view.js';

const LIST_LIMIT = 30;

const template = consoleTemplate(`
{{#if cancelled}}<p class="notice" role="status">Run {{cancelled}} is cancelled: it exits with the reason "cancelled".</p>{{/if}}
<div class="card"><dl class="facts">{{#each facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/each}}</dl></div>
<h2>Runs</h2>
{{#each runs}}<section class="card" aria-label="Run {{id}}">
<p><strong>{{playbook}}</strong> <span class="pill">{{status}}</span> <span class="muted small">{{id}}{{#if sequence}} (run {{sequence}}){{/if}}</span></p>
<p class="small muted">Started {{started}}{{#if closed}} · ended {{closed}}{{/if}}{{#if exitReason}} · exit: {{exitReason}}{{/if}}{{#if currentStep}} · at step {{currentStep}}{{/if}}</p>
{{#if nextWake}}<p>Next wake-up: <strong>{{nextWake}}</strong> <span class="muted small">{{nextWakeRelative}}</span></p>{{/if}}
{{#if steps.length}}<ol class="timeline">{{#each steps}}<li><span class="muted small">{{time}}</span> <span class="kind">{{stepId}}</span> <span class="{{tone}}">{{outcome}}</span>{{#if detail}}: {{detail}}{{/if}}</li>{{/each}}</ol>
{{else}}{{#if stepsLeftOut}}<p class="muted small">An older run: the steps of the {{../journalsRead}} newest ended runs are shown.</p>{{else}}{{#if stateMissing}}<p class="muted small">The run did not answer (is a worker running?): its steps cannot be shown now.</p>{{else}}<p class="muted small">No steps yet.</p>{{/if}}{{/if}}{{/if}}
{{#if open}}<p><a href="/console/members/{{../member.id}}/cancel?run={{id}}">Cancel this run…</a></p>{{/if}}
</section>{{else}}<p class="muted">No runs.</p>{{/each}}
<h2>Emails</h2>
{{#if deliveries.length}}<div class="scroll" tabindex="0" role="region" aria-label="Emails"><table>
<thead><tr><th>When</th><th>Playbook</th><th>Template</th><th>Status</th><th>Detail</th></tr></thead>
<tbody>{{#each deliveries}}<tr><td>{{time}}</td><td>{{playbook}}</td><td>{{template}}</td><td class="{{tone}}">{{status}}</td><td>{{error}}</td></tr>{{/each}}</tbody>
</table></div>{{else}}<p class="muted">No emails yet.</p>{{/if}}
<h2>Activity</h2>
<p class="small muted">{{activityFacts}}</p>
{{#if history.length}}<div class="scroll" tabindex="0" role="region" aria-label="Activity"><table>
<thead><tr><th>When</th><th>What</th><th>About</th><th>Source</th></tr></thead>
<tbody>{{#each history}}<tr><td>{{time}} <span class="muted small">{{relative}}</span></td><td><span class="kind">{{kind}}</span> {{what}}</td><td>{{about}}</td><td class="small muted">{{source}}</td></tr>{{/each}}</tbody>
</table></div>{{else}}<p class="muted">No activity recorded.</p>{{/if}}
<h2>RSVPs</h2>
{{#if rsvps.length}}<ul>{{#each rsvps}}<li>{{event}}: {{status}}{{#if attended}} (attended){{/if}} <span class="muted small">{{when}}</span></li>{{/each}}</ul>{{else}}<p class="muted">No RSVPs.</p>{{/if}}
<h2>Survey answers</h2>
{{#if surveys.length}}<ul>{{#each surveys}}<li>{{event}}: <strong>{{score}}</strong>/10{{#if comment}}: “{{comment}}”{{/if}} <span class="muted small">{{when}}</span></li>{{/each}}</ul>{{else}}<p class="muted">No survey answers.</p>{{/if}}`);

const confirmTemplate = consoleTemplate(`
<div class="card narrow">
<p>Cancel the <strong>{{playbook}}</strong> run of {{who}}?</p>
<p class="muted small">{{run}}: the run exits with the reason "cancelled", also in the middle of a wait. Nothing more is sent from it.</p>
<form method="post" action="/console/members/{{memberId}}/cancel">
<input type="hidden" name="_csrf" value="{{csrf}}">
<input type="hidden" name="run" value="{{run}}">
<button type="submit" class="danger">Cancel the run</button>
<a href="/console/members/{{memberId}}">Keep it</a>
</form>
</div>`);

const MemberParams = Type.Object(
  { id: Type.String({ pattern: ID_PATTERN, maxLength: 200 }) },
  { additionalProperties: false },
);
const RunId = Type.String({ pattern: RUN_ID_PATTERN, maxLength: 400 });
const MemberQuery = Type.Object({ cancelled: Type.Optional(RunId) }, { additionalProperties: false });

export function memberPage(app: TendApp, context: ConsoleContext): void {
  const { models, temporal } = context;
  const page = { page: true };

  const known = async (id: string): Promise<MemberDoc> => {
    const member = await models.members.findById(id).lean<MemberDoc>().exec();
    if (member === null) throw new NotFound(`there is no member ${id}`);
    return member;
  };
  /** The run (the latest under its workflow id, read by `_id`), when it is this member's. */
  const runOf = async (memberId: string, runId: string) => {
    const key = runKeyOfWorkflowId(runId);
    const run = key === null ? null : await latestRun(models, key);
    if (run === null || run.memberId !== memberId)
      throw new NotFound(`member ${memberId} has no run ${runId}`);
    return run;
  };

  app.get(
    '/console/members/:id',
    { config: page, schema: { hide: true, params: MemberParams, querystring: MemberQuery } },
    async (request, reply) => {
      const member = await known(request.params.id);
      const { timezone: communityZone } = await context.community();
      const zone = member.timezone ?? communityZone;
      const now = Date.now();
      // Everything below is read by `_id`, through the member's index (db/memberIndex.ts).
      const index = await memberIndexOf(models, member._id);
      const [runs, deliveries, rsvps, surveys] = await Promise.all([
        memberRuns(temporal, models, index),
        recordsOf(newestEntries(index?.deliveries, LIST_LIMIT), (id) =>
          models.deliveries.findById(id).lean<DeliveryDoc>().exec(),
        ),
        recordsOf(newestEntries(index?.rsvps, LIST_LIMIT), (id) =>
          models.rsvps.findById(id).lean<RsvpDoc>().exec(),
        ),
        recordsOf(newestEntries(index?.surveys, LIST_LIMIT), (id) =>
          models.surveyResponses.findById(id).lean<SurveyResponseDoc>().exec(),
        ),
      ]);
      const history = activitiesOf(index).slice(0, HISTORY_SHOWN);
      const titles = await eventTitles(context, [
        ...[...rsvps, ...surveys].map((row) => row.eventId),
        ...history.flatMap((item) => (item.eventId === undefined ? [] : [item.eventId])),
      ]);
      return context.page(request, reply, {
        title: member.name ?? member.firstName ?? member.email,
        nav: 'members',
        template,
        values: {
          cancelled: request.query.cancelled,
          member: { id: member._id },
          facts: [
            ['Email', member.email],
            ['Status', member.status],
            ['Joined', formatTime(member.joinedAt, zone)],
            ['Approved', formatTime(member.approvedAt, zone)],
            [
              'Last active',
              member.lastActiveAt
                ? `${formatTime(member.lastActiveAt, zone)} (${relativeTime(member.lastActiveAt, now)})`
                : 'never',
            ],
            ['Time zone', member.timezone ?? `${communityZone} (the community's)`],
            ['Interests', (member.interests ?? []).join(', ')],
            ['Tags', (member.tags ?? []).join(', ')],
            ['Email status', member.emailStatus ?? 'ok'],
            ['Unsubscribed from', (member.unsubscribed ?? []).join(', ') || 'nothing'],
          ]
            // A fact the record does not have is left out rather than shown blank.
            .filter(([, value]) => value !== '')
            .map(([label, value]) => ({ label, value })),
          runs: runs.map((run) => runView(run, zone, now)),
          journalsRead: JOURNALS_READ,
          activityFacts: factsLine(member.activity),
          history: historyView(history, titles, zone, now),
          deliveries: deliveries.map((delivery) => ({
            time: formatTime(delivery.sentAt ?? delivery.claimedAt, zone),
            playbook: delivery.playbook,
            template: delivery.template,
            status: delivery.status,
            tone: outcomeTone(delivery.status),
            error: delivery.error ?? '',
          })),
          rsvps: rsvps.map((rsvp) => ({
            event: titles.get(rsvp.eventId) ?? rsvp.eventId,
            status: rsvp.status,
            attended: rsvp.attended === true,
            when: formatTime(rsvp.createdAt, zone),
          })),
          surveys: surveys.map((answer) => ({
            event: titles.get(answer.eventId) ?? answer.eventId,
            score: answer.score,
            comment: answer.comment,
            when: formatTime(answer.respondedAt, zone),
          })),
        },
      });
    },
  );

  app.get(
    '/console/members/:id/cancel',
    {
      config: page,
      schema: {
        hide: true,
        params: MemberParams,
        querystring: Type.Object({ run: RunId }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const member = await known(request.params.id);
      const run = await runOf(member._id, request.query.run);
      return context.page(request, reply, {
        title: 'Cancel a run',
        nav: 'members',
        template: confirmTemplate,
        values: {
          memberId: member._id,
          who: member.name ?? member.email,
          playbook: run.playbook,
          run: run.workflowId,
        },
      });
    },
  );

  app.post(
    '/console/members/:id/cancel',
    { config: page, schema: { hide: true, params: MemberParams, body: FormBody({ run: RunId }) } },
    async (request, reply) => {
      const member = await known(request.params.id);
      const run = await runOf(member._id, request.body.run);
      await cancelRun(temporal, run.workflowId);
      request.log.info({ run: run.workflowId, manager: context.manager(request).email }, 'run cancelled');
      const back = `/console/members/${encodeURIComponent(member._id)}?cancelled=${encodeURIComponent(run.workflowId)}`;
      return reply.redirect(back, 303);
    },
  );
}

async function eventTitles(context: ConsoleContext, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  // One lookup by _id each: FerretDB serves _id equality from its index and scans for `$in`.
  const events = await Promise.all(
    unique.map((id) => context.models.events.findById(id, { title: 1 }).lean<EventDoc>().exec()),
  );
  return new Map(events.flatMap((event) => (event?.title ? [[event._id, event.title]] : [])));
}

function runView({ record, state, journal, stepsLeftOut }: MemberRun, zone: string, now: number) {
  return {
    id: record.workflowId,
    sequence: record.sequence,
    playbook: record.playbook,
    status: state?.status ?? record.status,
    open: record.status === 'running' || record.status === 'waiting' || record.status === 'starting',
    started: formatTime(record.startedAt, zone),
    closed: formatTime(record.closedAt, zone),
    exitReason: state?.exitReason ?? journal?.exitReason ?? null,
    currentStep: state?.currentStep ?? null,
    nextWake: state?.nextWakeAt ? formatTime(state.nextWakeAt, zone) : null,
    nextWakeRelative: state?.nextWakeAt ? relativeTime(state.nextWakeAt, now) : '',
    stepsLeftOut,
    stateMissing: state === null && journal === null,
    steps: (state?.steps ?? journal?.steps ?? []).map((step) => ({
      time: formatTime(step.at, zone),
      stepId: step.stepId,
      outcome: step.outcome,
      tone: outcomeTone(step.outcome),
      detail: step.detail,
    })),
  };
}

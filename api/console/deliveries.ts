// Deliveries: the ledger's newest rows, sends and failures with the SMTP server's reply, filtered by
// playbook and status. Newest first by the time each was claimed (a row's `_id` is its key, which says
// nothing of when), with a limit.

import { Type } from '@sinclair/typebox';
import { DELIVERY_STATUSES, type DeliveryDoc } from '../../db/index.js';
import { NAME_PATTERN, OneOf } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { formatTime, outcomeTone, plural } from './format.js';
import { consoleTemplate } from './view.js';

const SHOWN = 100;

const template = consoleTemplate(`
<form method="get" action="/console/deliveries" class="filters">
<div><label for="playbook">Playbook</label><select id="playbook" name="playbook"><option value="">All</option>{{#each playbooks}}<option value="{{id}}"{{#if selected}} selected{{/if}}>{{id}}</option>{{/each}}</select></div>
<div><label for="status">Status</label><select id="status" name="status"><option value="">All</option>{{#each statuses}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{value}}</option>{{/each}}</select></div>
<div><button type="submit">Filter</button></div>
</form>
<p class="muted">{{summary}}</p>
{{#if rows.length}}<div class="scroll" tabindex="0" role="region" aria-label="Deliveries"><table>
<thead><tr><th>When</th><th>To</th><th>Playbook</th><th>Template</th><th>Status</th><th>SMTP reply or reason</th></tr></thead>
<tbody>{{#each rows}}<tr><td>{{time}}</td><td>{{#if memberId}}<a href="/console/members/{{memberId}}">{{to}}</a>{{else}}{{to}}{{/if}}</td><td>{{playbook}}</td><td>{{template}}</td><td class="{{tone}}">{{status}}</td><td>{{error}}</td></tr>{{/each}}</tbody>
</table></div>{{/if}}`);

const Filters = Type.Object(
  {
    playbook: Type.Optional(
      Type.Union([Type.Literal(''), Type.String({ pattern: NAME_PATTERN, maxLength: 63 })]),
    ),
    status: Type.Optional(Type.Union([Type.Literal(''), OneOf(DELIVERY_STATUSES)])),
  },
  { additionalProperties: false },
);

export function deliveriesPage(app: TendApp, context: ConsoleContext): void {
  app.get(
    '/console/deliveries',
    { config: { page: true }, schema: { hide: true, querystring: Filters } },
    async (request, reply) => {
      const playbook = request.query.playbook || undefined;
      const status = request.query.status || undefined;
      const [{ timezone }, playbooks, rows] = await Promise.all([
        context.community(),
        context.plans.playbooks(),
        context.models.deliveries
          .find({
            ...(playbook === undefined ? {} : { playbook }),
            ...(status === undefined ? {} : { status }),
          })
          .sort({ claimedAt: -1, _id: 1 })
          .limit(SHOWN)
          .lean<DeliveryDoc[]>()
          .exec(),
      ]);
      const filtered = [playbook, status].filter((value) => value !== undefined).join(', ');
      return context.page(request, reply, {
        title: 'Deliveries',
        nav: 'deliveries',
        template,
        values: {
          playbooks: playbooks.map(({ id }) => ({ id, selected: id === playbook })),
          statuses: DELIVERY_STATUSES.map((value) => ({ value, selected: value === status })),
          summary:
            rows.length === 0
              ? `No deliveries${filtered ? ` (${filtered})` : ''}.`
              : `${rows.length === SHOWN ? `The ${SHOWN} newest deliveries` : plural(rows.length, 'delivery', 'deliveries')}${filtered ? ` (${filtered})` : ''}, newest first.`,
          rows: rows.map((row) => ({
            time: formatTime(row.sentAt ?? row.claimedAt, timezone),
            memberId: row.memberId,
            to: row.to.join(', '),
            playbook: row.playbook,
            template: row.template,
            status: row.status,
            tone: outcomeTone(row.status),
            error: row.error ?? '',
          })),
        },
      });
    },
  );
}

// Deliveries: the newest emails and how they ended (sent, failed with the SMTP server's reply, skipped and
// why), filtered by playbook and status. By default from the delivery feed (db/deliveryFeed.ts), which holds
// the latest settled rows in the order they were settled and costs the same however large the ledger grows.
// "The whole ledger" reads the ledger itself (every row ever, and the claims not settled yet): newest first
// by claim time, which on FerretDB means decoding and sorting every row, so it is asked for, not the default.

import { Type } from '@sinclair/typebox';
import {
  DELIVERY_FEED_ENTRIES,
  DELIVERY_STATUSES,
  type DeliveryFeedDoc,
  type DeliveryDoc,
  type DeliveryStatus,
} from '../../db/index.js';
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
<div><label><input type="checkbox" name="all" value="1"{{#if all}} checked{{/if}}> The whole ledger (slower)</label></div>
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
    all: Type.Optional(Type.Literal('1')),
  },
  { additionalProperties: false },
);

/** A delivery as the page lists it, from the feed or the ledger. */
interface Listed {
  key: string;
  at: Date;
  memberId: string | null;
  to: string[];
  playbook: string;
  template: string;
  status: DeliveryStatus;
  error: string | null;
}

export function deliveriesPage(app: TendApp, context: ConsoleContext): void {
  app.get(
    '/console/deliveries',
    { config: { page: true }, schema: { hide: true, querystring: Filters } },
    async (request, reply) => {
      const playbook = request.query.playbook || undefined;
      const status = request.query.status || undefined;
      // Claims not settled yet are only in the ledger.
      const whole = request.query.all === '1' || status === 'claimed';
      const [{ timezone }, playbooks, rows] = await Promise.all([
        context.community(),
        context.plans.playbooks(),
        whole ? fromLedger(context, playbook, status) : fromFeed(context, playbook, status),
      ]);
      const filtered = [playbook, status].filter((value) => value !== undefined).join(', ');
      const where = whole
        ? 'in the whole ledger'
        : `among the last ${DELIVERY_FEED_ENTRIES.toLocaleString('en')} emails settled`;
      return context.page(request, reply, {
        title: 'Deliveries',
        nav: 'deliveries',
        template,
        values: {
          all: whole,
          playbooks: playbooks.map(({ id }) => ({ id, selected: id === playbook })),
          statuses: DELIVERY_STATUSES.map((value) => ({ value, selected: value === status })),
          summary:
            rows.length === 0
              ? `No deliveries${filtered ? ` (${filtered})` : ''} ${where}.`
              : `${rows.length === SHOWN ? `The ${SHOWN} newest deliveries` : plural(rows.length, 'delivery', 'deliveries')}${filtered ? ` (${filtered})` : ''} ${where}, newest first.`,
          rows: rows.map((row) => ({
            time: formatTime(row.at, timezone),
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

/** The newest SHOWN of the feed, each email once (as it last ended), filtered. */
async function fromFeed(
  context: ConsoleContext,
  playbook: string | undefined,
  status: DeliveryStatus | undefined,
): Promise<Listed[]> {
  // The whole feed, read in the order it was written (a capped collection's own order), newest last.
  const entries = await context.models.deliveryFeed.find({}).lean<DeliveryFeedDoc[]>().exec();
  const seen = new Set<string>();
  const listed: Listed[] = [];
  for (const entry of entries.reverse()) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    if (playbook !== undefined && entry.playbook !== playbook) continue;
    if (status !== undefined && entry.status !== status) continue;
    listed.push(entry);
    if (listed.length === SHOWN) break;
  }
  return listed;
}

/** The newest SHOWN rows of the whole ledger by claim time, filtered. */
async function fromLedger(
  context: ConsoleContext,
  playbook: string | undefined,
  status: DeliveryStatus | undefined,
): Promise<Listed[]> {
  const rows = await context.models.deliveries
    .find({
      ...(playbook === undefined ? {} : { playbook }),
      ...(status === undefined ? {} : { status }),
    })
    .sort({ claimedAt: -1, _id: 1 })
    .limit(SHOWN)
    .lean<DeliveryDoc[]>()
    .exec();
  return rows.map((row) => ({ ...row, at: row.sentAt ?? row.claimedAt }));
}

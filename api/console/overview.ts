// Overview: how the community is doing (the health report's four numbers with their trend, and the members
// at risk), what is coming up (published events ahead, with their RSVPs), and who is waiting for a decision.

import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { formatTime, plural, relativeTime } from './format.js';
import { trendLine } from './trendChart.js';
import { consoleTemplate } from './view.js';
import { waitingApplications } from '../../domain/members/applications.js';

const UPCOMING_LIMIT = 8;
const WAITING_LIMIT = 5;

const template = consoleTemplate(`
<h2>Community health</h2>
{{#if health}}
<div class="numbers">
{{#each health.figures}}<div class="card"><div class="muted">{{label}}</div><div class="number">{{value}}</div>
{{#if chart.points}}<svg class="trend" role="img" aria-label="{{label}} trend" width="{{chart.width}}" height="{{chart.height}}" viewBox="0 0 {{chart.width}} {{chart.height}}"><polyline fill="none" stroke="#0969da" stroke-width="2" points="{{chart.points}}"/>{{#if chart.last}}<circle cx="{{chart.last.x}}" cy="{{chart.last.y}}" r="3" fill="#0969da"/>{{/if}}</svg>{{/if}}
{{#if note}}<div class="muted small">{{note}}</div>{{/if}}</div>{{/each}}
</div>
<p class="muted small">The last 90 days, beside the two periods before; computed {{health.computed}}.</p>
<h2>Members at risk</h2>
{{#if health.atRisk.length}}<div class="scroll" tabindex="0" role="region" aria-label="Members at risk"><table>
<thead><tr><th>Member</th><th>Last active</th><th>Re-engagement</th></tr></thead>
<tbody>{{#each health.atRisk}}<tr><td><a href="/console/members/{{memberId}}">{{who}}</a></td><td>{{lastActive}}</td><td>{{#if reEngagementInFlight}}in flight{{else}}none{{/if}}</td></tr>{{/each}}</tbody>
</table></div>{{else}}<p class="muted">Nobody is at risk.</p>{{/if}}
{{else}}
<p class="card muted">The health report is not connected to this console yet, so there are no numbers to show.</p>
{{/if}}
<h2>Applications waiting</h2>
{{#if waiting.length}}<p>{{waitingCount}} waiting for a decision: <a href="/console/applications">review them</a>.</p>
<ul>{{#each waiting}}<li><a href="/console/members/{{id}}">{{who}}</a> {{#if applied}}<span class="muted">applied {{applied}}</span>{{/if}}</li>{{/each}}</ul>
{{else}}<p class="muted">No applications are waiting.</p>{{/if}}
<h2>Events coming up</h2>
{{#if events.length}}<div class="scroll" tabindex="0" role="region" aria-label="Events coming up"><table>
<thead><tr><th>Event</th><th>Starts</th><th>Where</th></tr></thead>
<tbody>{{#each events}}<tr><td>{{title}}</td><td>{{starts}} <span class="muted small">{{relative}}</span></td><td>{{location}}</td></tr>{{/each}}</tbody>
</table></div>{{else}}<p class="muted">No published events ahead.</p>{{/if}}`);

export function overviewPage(app: TendApp, context: ConsoleContext): void {
  const { models } = context;
  app.get('/console', { config: { page: true }, schema: { hide: true } }, async (request, reply) => {
    const now = Date.now();
    const { timezone } = await context.community();
    const [health, { applicants: waiting, count: waitingCount }, events] = await Promise.all([
      context.health(),
      waitingApplications(models, WAITING_LIMIT),
      models.events
        .find({ status: 'published', startsAt: { $gte: new Date(now) } })
        .sort({ startsAt: 1 })
        .limit(UPCOMING_LIMIT)
        .lean()
        .exec(),
    ]);
    return context.page(request, reply, {
      title: 'Overview',
      nav: 'overview',
      template,
      values: {
        health:
          health === null
            ? null
            : {
                computed: `${formatTime(health.computedAt, timezone)} (${relativeTime(health.computedAt)})`,
                figures: health.value.figures.map((figure) => ({
                  ...figure,
                  chart: trendLine(figure.trend),
                })),
                atRisk: health.value.atRisk.map((member) => ({
                  ...member,
                  who: member.name ?? member.email,
                  lastActive: member.lastActiveAt === null ? 'never' : relativeTime(member.lastActiveAt, now),
                })),
              },
        waiting: waiting.map(({ member, appliedAt }) => ({
          id: member._id,
          who: member.name ?? member.email,
          applied: relativeTime(appliedAt, now),
        })),
        waitingCount: plural(waitingCount, 'application'),
        events: events.map((event) => ({
          title: event.title ?? event._id,
          starts: formatTime(event.startsAt, event.timezone ?? timezone),
          relative: relativeTime(event.startsAt, now),
          location: event.location ?? '',
        })),
      },
    });
  });
}

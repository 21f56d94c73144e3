// Playbooks: each with whether its file compiles now (every error as file:line:col, as `tend validate`
// prints it), whether it is enabled, the version in service and the ones before it with their dates, and how
// many runs are in flight. Two queries whatever the number of playbooks: the stored versions of all of them
// (without their plans), and the runs in flight counted per playbook on the server, which reads every run
// record on FerretDB (3 s at 40,000) and so is counted at most every 30 s (context.ts), saying when.

import type { PlanDoc } from '../../db/index.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { formatTime } from './format.js';
import { consoleTemplate } from './view.js';

export const VERSIONS_SHOWN = 10;

const template = consoleTemplate(`
<p class="muted small">Runs in flight counted {{counted}}.</p>
{{#each playbooks}}<section class="card" aria-label="{{id}}">
<p><a href="/console/playbooks/{{id}}"><strong>{{id}}</strong></a>
{{#if valid}}<span class="pill ok">valid</span>{{else}}<span class="pill bad">errors</span>{{/if}}
{{#if enabled}}<span class="pill ok">enabled</span>{{else}}<span class="pill warn">disabled</span>{{/if}}
<span class="muted small">{{inFlight}} in flight</span></p>
{{#if errors.length}}<pre class="bad">{{#each errors}}{{this}}
{{/each}}</pre>{{#if version}}<p class="small muted">The last good version stays in service until the file compiles again.</p>{{/if}}{{/if}}
<details><summary>Versions ({{versions.length}})</summary><ul class="small">{{#each versions}}<li><code>{{version}}</code> compiled {{compiled}}{{#if current}} <strong>in service</strong>{{/if}}</li>{{/each}}</ul></details>
</section>{{else}}<p class="muted">No playbooks.</p>{{/each}}`);

export function playbooksPage(app: TendApp, context: ConsoleContext): void {
  const { models } = context;
  app.get(
    '/console/playbooks',
    { config: { page: true }, schema: { hide: true } },
    async (request, reply) => {
      const [{ timezone }, reports, allVersions, inFlight] = await Promise.all([
        context.community(),
        context.plans.playbooks(),
        models.plans.find({}, { planJson: 0 }).sort({ compiledAt: -1 }).lean<PlanDoc[]>().exec(),
        context.runsInFlight(),
      ]);
      const rows = reports.map((report) => ({
        ...report,
        inFlight: inFlight.value.get(report.id) ?? 0,
        versions: allVersions
          .filter((version) => version.playbook === report.id)
          .slice(0, VERSIONS_SHOWN)
          .map((version) => ({
            version: version.version?.slice(0, 12) ?? '(never compiled)',
            compiled: formatTime(version.compiledAt, timezone),
            current: version.current,
          })),
      }));
      return context.page(request, reply, {
        title: 'Playbooks',
        nav: 'playbooks',
        template,
        values: { playbooks: rows, counted: formatTime(inFlight.computedAt, timezone) },
      });
    },
  );
}

/** A playbook's stored versions, newest first. */
export function playbookVersions(context: ConsoleContext, playbook: string): Promise<PlanDoc[]> {
  return context.models.plans
    .find({ playbook }, { planJson: 0 })
    .sort({ compiledAt: -1 })
    .limit(VERSIONS_SHOWN)
    .lean<PlanDoc[]>()
    .exec();
}

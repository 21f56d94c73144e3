// A playbook's page: its steps drawn as a vertical flow (with the funnel's counts on each step when that
// report is connected), what starts it and what ends it, and a version picker over the stored versions.

import { Type } from '@sinclair/typebox';
import { readPlanVersion } from '../../domain/plans/planStore.js';
import { NotFound } from '../errors.js';
import { NAME_PATTERN } from '../schemas/common.js';
import type { TendApp } from '../typeProvider.js';
import type { ConsoleContext } from './context.js';
import { formatTime } from './format.js';
import { playbookVersions } from './playbooks.js';
import { describeTrigger, stepFlow } from './stepFlow.js';
import { consoleTemplate, registerConsolePartial } from './view.js';

registerConsolePartial(
  'flow',
  `<ol class="flow">{{#each this}}<li><div><span class="kind">{{kind}}</span> <strong>{{id}}</strong></div><div>{{text}}</div>
{{#if counts.length}}<div class="small muted">{{#each counts}}<span>{{this}}</span>{{#unless @last}} · {{/unless}}{{/each}}</div>{{/if}}
{{#each branches}}<div class="small"><em>{{label}}</em></div>{{> flow steps}}{{/each}}</li>{{/each}}</ol>`,
);

const template = consoleTemplate(`
<form method="get" action="/console/playbooks/{{id}}" class="filters">
<div><label for="version">Version</label><select id="version" name="version">{{#each versions}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select></div>
<div><button type="submit">Show</button></div>
</form>
{{#if plan}}
<div class="card"><dl class="facts">
<dt>Name</dt><dd>{{plan.name}}</dd>
{{#if plan.description}}<dt>About</dt><dd>{{plan.description}}</dd>{{/if}}
<dt>Starts</dt><dd>{{plan.trigger}}</dd>
<dt>Ends early on</dt><dd>{{#if plan.exits}}{{plan.exits}}{{else}}nothing{{/if}}</dd>
<dt>Enabled</dt><dd>{{#if plan.enabled}}yes{{else}}no{{/if}}</dd>
<dt>Goal</dt><dd>{{#if goal}}{{goal}}{{else}}<span class="muted">{{noGoal}}</span>{{/if}}</dd>
</dl></div>
{{#if funnel}}<p class="muted small">Counts on each step from the run journal, computed {{counted}}.</p>{{else}}<p class="muted small">Step counts appear here once the funnel report is connected to the console.</p>{{/if}}
<h2>Steps</h2>
{{> flow plan.steps}}
{{#each plan.handlers}}<h2>On {{event}}</h2>{{> flow steps}}{{/each}}
<p><a href="/console/preview?playbook={{id}}">Preview this playbook</a></p>
{{else}}<p class="muted">No version of {{id}} has been stored yet: the worker stores each version it compiles.</p>{{/if}}`);

const Params = Type.Object(
  { id: Type.String({ pattern: NAME_PATTERN, maxLength: 63 }) },
  { additionalProperties: false },
);
const VersionQuery = Type.Object(
  { version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{1,128}$' })) },
  { additionalProperties: false },
);

export function playbookPage(app: TendApp, context: ConsoleContext): void {
  app.get(
    '/console/playbooks/:id',
    { config: { page: true }, schema: { hide: true, params: Params, querystring: VersionQuery } },
    async (request, reply) => {
      const { id } = request.params;
      const [{ timezone }, reports, versions] = await Promise.all([
        context.community(),
        context.plans.playbooks(),
        playbookVersions(context, id),
      ]);
      if (!reports.some((report) => report.id === id) && versions.length === 0) {
        throw new NotFound(`there is no playbook ${id}`);
      }
      const current = versions.find((version) => version.current)?.version ?? versions[0]?.version ?? null;
      const chosen = request.query.version ?? current;
      if (chosen !== null && !versions.some((version) => version.version === chosen)) {
        throw new NotFound(`playbook ${id} has no stored version ${chosen}`);
      }
      const plan = chosen === null ? null : await readPlanVersion(context.models, id, chosen);
      const counted = plan === null ? null : await context.funnel(id, plan.version);
      const funnel = counted?.value ?? null;
      return context.page(request, reply, {
        title: `Playbook ${id}`,
        nav: 'playbooks',
        template,
        values: {
          id,
          versions: versions.flatMap((version) =>
            version.version === null
              ? []
              : [
                  {
                    value: version.version,
                    label: `${version.version.slice(0, 12)}, ${formatTime(version.compiledAt, timezone)}${version.current ? ' (in service)' : ''}`,
                    selected: version.version === chosen,
                  },
                ],
          ),
          funnel: funnel !== null,
          counted: counted === null ? null : formatTime(counted.computedAt, timezone),
          goal: funnel?.goal ?? null,
          noGoal: funnel === null ? 'shown with the funnel report' : 'none',
          plan:
            plan === null
              ? null
              : {
                  name: plan.name,
                  description: plan.description,
                  enabled: plan.enabled,
                  trigger: describeTrigger(plan),
                  exits: plan.exit.events.join(', '),
                  steps: stepFlow(plan.steps, funnel),
                  handlers: Object.entries(plan.on).map(([event, steps]) => ({
                    event,
                    steps: stepFlow(steps, funnel),
                  })),
                },
        },
      });
    },
  );
}

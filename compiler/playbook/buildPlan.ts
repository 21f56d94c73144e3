// A validated playbook -> its Plan: self-contained (community settings, merged delivery, and the sources of
// exactly the templates, layouts and partials it sends), with the records a run must load, and its version.

import type { CommunityConfig } from '../community.js';
import type { TemplateLibrary } from '../emails/library.js';
import type { EmailTemplate, Plan, PlanTemplates } from '../plan.js';
import { contentVersion } from '../version.js';
import type { NormalisedPlaybook } from './normalise.js';
import type { ValidatedPlaybook } from './validate.js';

export function buildPlan(
  playbook: NormalisedPlaybook,
  validated: ValidatedPlaybook,
  community: CommunityConfig,
  library: TemplateLibrary,
): Plan | null {
  const trigger = playbook.trigger;
  if (trigger === null) return null;
  const keyIsEventId = trigger.kind === 'event' && trigger.key === 'eventId';
  const { delivery } = playbook;
  const plan: Omit<Plan, 'version'> = {
    id: playbook.id,
    name: playbook.name,
    description: playbook.description,
    enabled: playbook.enabled,
    trigger:
      trigger.kind === 'schedule'
        ? { kind: 'schedule', cron: trigger.cron, timezone: trigger.timezone ?? community.settings.timezone }
        : trigger,
    audience: playbook.audience,
    reentry: playbook.reentry,
    // Only when there is one: a playbook without a goal keeps the version it had before goals existed.
    ...(playbook.goal === null ? {} : { goal: playbook.goal }),
    exit: playbook.exit,
    on: playbook.on,
    steps: playbook.steps,
    delivery: {
      quietHours: delivery.quietHours === undefined ? community.delivery.quietHours : delivery.quietHours,
      frequencyCap:
        delivery.frequencyCap === undefined ? community.delivery.frequencyCap : delivery.frequencyCap,
      ...((delivery.trackClicks ?? community.delivery.trackClicks !== false) ? {} : { trackClicks: false }),
    },
    community: community.settings,
    templates: planTemplates(validated.templates, library),
    needs: {
      event: keyIsEventId || validated.roots.has('event'),
      rsvp: keyIsEventId || validated.roots.has('rsvp'),
      upcomingEvents: validated.roots.has('upcoming_events'),
      report: validated.roots.has('report'),
    },
  };
  // The emails7d need follows from the conditions and templates the version already hashes, so it tells no
  // two versions apart; hashing it would give every plan compiled before it existed a new version.
  return {
    ...plan,
    version: contentVersion(plan),
    needs: { ...plan.needs, emails7d: validated.readsEmails7d },
  };
}

/** The templates, layouts and partials that sending `names` takes: a plan's, or one email's for a check. */
export function planTemplates(names: ReadonlySet<string>, library: TemplateLibrary): PlanTemplates {
  const emails: Record<string, EmailTemplate> = {};
  const layouts: Record<string, string> = {};
  const partials: Record<string, string> = {};
  for (const name of [...names].sort()) {
    const email = library.emails.get(name);
    if (email === undefined) continue;
    emails[name] = {
      name,
      ...email.texts,
      layout: email.layout,
      ...(email.trackClicks ? {} : { trackClicks: false }),
    };
    const layout = email.layout === null ? undefined : library.layouts.get(email.layout);
    if (email.layout !== null && layout) layouts[email.layout] = layout.text;
    for (const partial of library.partialsOf.get(name) ?? []) {
      const text = library.partialTexts.get(partial);
      if (text !== undefined) partials[partial] = text;
    }
  }
  return { emails, layouts, partials };
}

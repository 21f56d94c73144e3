// Phase 3, validate: what a playbook means, checked against the community, the templates and itself. Every
// path names something the run has where it is read; every email exists, compiles and has what it reads; the
// trigger, key and audience fit together; ids are unique; no step sits after an exit where it can never run.

import { CronExpressionParser } from 'cron-parser';
import { addressProblem } from '../addresses.js';
import type { CommunityConfig } from '../community.js';
import {
  MEMBER,
  RSVP,
  exposesEmails7d,
  mayBeDate,
  missingRequirement,
  resolveContextPath,
  resolveFields,
} from '../context.js';
import type { Availability, Requirement, RootName, Shape } from '../context.js';
import type { Diagnostic } from '../diagnostics.js';
import { didYouMean } from '../didYouMean.js';
import { missingUnsubscribeLink } from '../emails/unsubscribeLink.js';
import { checkEmailUse } from '../emails/uses.js';
import type { TemplateLibrary } from '../emails/library.js';
import {
  carriesEventId,
  isCommunityEventType,
  isMemberEventType,
  nearMissOfKnownType,
} from '../eventTypes.js';
import type { Category, Step } from '../plan.js';
import { timezoneProblem } from '../timezones.js';
import { diagnosticAt } from '../yaml/yamlFile.js';
import type { PathTarget, YamlPath } from '../yaml/yamlFile.js';
import { planTemplates } from './buildPlan.js';
import type { FieldUse } from './condition.js';
import type { Audience } from './folderFacts.js';
import type { NormalisedPlaybook } from './normalise.js';

const GOAL_ROOTS: ReadonlySet<string> = new Set(['received', 'member']);

export interface ValidatedPlaybook {
  diagnostics: Diagnostic[];
  /** Context roots any condition, time or email of the playbook reads. */
  roots: ReadonlySet<RootName>;
  /** The email templates its steps send. */
  templates: ReadonlySet<string>;
  /**
   * Whether a condition or an email can read `member.activity.emails7d` (or the peer's): exact where a path
   * names it, true where the check cannot tell (see compiler/emails/walk.ts).
   */
  readsEmails7d: boolean;
}

export function validatePlaybook(
  playbook: NormalisedPlaybook,
  community: CommunityConfig | null,
  library: TemplateLibrary,
): ValidatedPlaybook {
  return new Validation(playbook, community, library).run();
}

class Validation {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly roots = new Set<RootName>();
  private readonly templates = new Set<string>();
  private readsEmails7d = false;
  private readonly ids = new Set<string>();
  /** With a trigger that did not validate, assume the run has an event rather than report a cascade. */
  private readonly hasEventId: boolean;
  private readonly startedBy: string;
  /** A schedule without an audience: one run about the community, with `report` and no member. */
  private readonly aboutCommunity: boolean;

  constructor(
    private readonly playbook: NormalisedPlaybook,
    private readonly community: CommunityConfig | null,
    private readonly library: TemplateLibrary,
  ) {
    const trigger = playbook.trigger;
    this.hasEventId =
      trigger === null ||
      (trigger.kind === 'event' && (trigger.key === 'eventId' || carriesEventId(trigger.event)));
    this.startedBy = trigger?.kind === 'event' ? trigger.event : 'a schedule';
    this.aboutCommunity = trigger?.kind === 'schedule' && playbook.audience === null;
  }

  /** What every condition, time and email of this playbook can read, before a step adds its own. */
  private availability(received: boolean): Availability {
    return {
      eventId: this.hasEventId,
      received,
      introduce: false,
      member: !this.aboutCommunity,
      report: this.aboutCommunity,
    };
  }

  run(): ValidatedPlaybook {
    this.trigger();
    const base = this.availability(false);
    this.fields(this.playbook.exitFields, { kind: 'context', availability: base });
    for (const site of this.playbook.conditions) {
      this.fields(site.fields, { kind: 'context', availability: { ...base, received: site.received } });
    }
    const audience = this.playbook.audience;
    if (audience) {
      const shape = audience.source === 'members' ? MEMBER : RSVP;
      this.fields(this.playbook.audienceFields, { kind: 'collection', shape, noun: audience.source });
    }
    this.playbook.exit.events.forEach((type, index) => {
      this.eventType(type, ['exit', index, 'event']);
      this.noEventsReachCommunity(['exit', index, 'event'], 'value');
    });
    this.goal(base);
    for (const [type, steps] of Object.entries(this.playbook.on)) {
      this.eventType(type, ['on', type], 'key');
      this.noEventsReachCommunity(['on', type], 'key');
      this.steps(steps);
    }
    this.steps(this.playbook.steps);
    return {
      diagnostics: this.diagnostics,
      roots: this.roots,
      templates: this.templates,
      readsEmails7d: this.readsEmails7d,
    };
  }

  private report(
    path: YamlPath,
    message: string,
    options: { target?: PathTarget; severity?: Diagnostic['severity'] } = {},
  ): void {
    this.diagnostics.push(diagnosticAt(this.playbook.file, path, message, options));
  }

  /**
   * Events reach the runs of the member (and key) they name, so none reaches a community playbook's run:
   * an exit event or an `on` handler there would never act.
   */
  private noEventsReachCommunity(at: YamlPath, target: PathTarget): void {
    if (!this.aboutCommunity) return;
    this.report(
      at,
      `${ABOUT_COMMUNITY} no event reaches its run: remove this, or add an audience to run once per member`,
      { target },
    );
  }

  /** A goal is matched when its event is accepted, where only the event and the member are at hand. */
  private goal(base: Availability): void {
    const { goal, goalFields } = this.playbook;
    if (goal === null) return;
    if (this.aboutCommunity) {
      this.report(
        ['goal'],
        `${ABOUT_COMMUNITY} has no member to reach a goal: remove the goal, or add an audience to run once per member`,
        { target: 'key' },
      );
      return;
    }
    this.eventType(goal.event, ['goal', 'event']);
    const atIngestion = goalFields.filter((use) => GOAL_ROOTS.has(use.path.split('.')[0] ?? ''));
    for (const use of goalFields) {
      if (!atIngestion.includes(use))
        this.report(use.at, `a goal's condition reads only received and member, not "${use.path}"`, {
          target: 'key',
        });
    }
    this.fields(atIngestion, { kind: 'context', availability: { ...base, received: true } });
  }

  private trigger(): void {
    const { trigger, audience } = this.playbook;
    if (trigger === null) return;
    if (trigger.kind === 'schedule') {
      this.cron(trigger.cron);
      const zone = trigger.timezone === null ? null : timezoneProblem(trigger.timezone);
      if (zone !== null) this.report(['trigger', 'timezone'], zone);
    } else {
      this.eventType(trigger.event, ['trigger', 'event']);
      if (audience !== null && isMemberEventType(trigger.event)) {
        this.report(
          ['audience'],
          `${trigger.event} names one member and starts a run for them: remove the audience`,
          { target: 'key' },
        );
      }
      if (audience === null && isCommunityEventType(trigger.event)) {
        this.report(
          ['trigger', 'event'],
          `${trigger.event} is about an event, not a member: add an audience, like audience: { rsvps: { status: going } }`,
        );
      }
    }
    if (audience?.source === 'rsvps' && !(trigger.kind === 'event' && trigger.key === 'eventId')) {
      this.report(
        ['audience', 'rsvps'],
        "rsvps are the RSVPs of the trigger's event: the trigger needs key: eventId",
        {
          target: 'key',
        },
      );
    }
  }

  private cron(expression: string): void {
    const fields = expression.trim().split(/\s+/);
    const problem = (() => {
      if (!expression.startsWith('@') && fields.length !== 5) {
        return `a cron schedule has 5 fields (minute hour day month weekday), like "0 10 * * *"; this one has ${fields.length}`;
      }
      try {
        CronExpressionParser.parse(expression);
        return null;
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^[A-Za-z ]+error, /, '') : '';
        return `"${expression}" is not a cron schedule (${reason}): write minute hour day month weekday, like "0 10 * * *"`;
      }
    })();
    if (problem !== null) this.report(['trigger', 'schedule'], problem);
  }

  private eventType(type: string, at: YamlPath, target: PathTarget = 'value'): void {
    const nearMiss = nearMissOfKnownType(type);
    if (nearMiss !== null) this.report(at, nearMiss, { target, severity: 'warning' });
  }

  private fields(
    uses: readonly FieldUse[],
    scope:
      { kind: 'context'; availability: Availability } | { kind: 'collection'; shape: Shape; noun: string },
  ): void {
    for (const use of uses) {
      const shape =
        scope.kind === 'context'
          ? this.contextPath(use.path, use.at, scope.availability, 'key')
          : this.collectionPath(use, scope.shape, scope.noun);
      if (shape !== null && use.dateOperator !== null && !mayBeDate(shape)) {
        this.report(
          [...use.at, use.dateOperator],
          `${use.dateOperator} compares dates, and "${use.path}" is not one`,
          {
            target: 'key',
          },
        );
      }
    }
  }

  private collectionPath(use: FieldUse, shape: Shape, noun: string): Shape | null {
    const resolved = resolveFields(shape, use.path.split('.'), use.path, '', this.library.memberAttributes);
    if (resolved.ok) return resolved.shape;
    this.report(use.at, `${resolved.message}: an audience of ${noun} names their fields, without a prefix`, {
      target: 'key',
    });
    return null;
  }

  /** A path into the run's context (conditions, times): known, and there where it is read. */
  private contextPath(
    path: string,
    at: YamlPath,
    availability: Availability,
    target: PathTarget,
  ): Shape | null {
    const resolved = resolveContextPath(path, 'conditions', this.library.memberAttributes);
    if (!resolved.ok) {
      this.report(at, resolved.message, { target });
      return null;
    }
    this.roots.add(resolved.root);
    // A condition over `member.activity` (or `member`) whole compares every field, the count among them.
    if (exposesEmails7d(resolved.shape)) this.readsEmails7d = true;
    const missing = missingRequirement(resolved.root, availability);
    if (missing !== null) this.report(at, this.explain(missing, path), { target });
    return resolved.shape;
  }

  private explain(requirement: Requirement, what: string, stepId?: string): string {
    const sender = stepId === undefined ? '' : ` (step "${stepId}" sends this email)`;
    switch (requirement) {
      case 'eventId':
        return `"${what}" needs the run's event, which runs started by ${this.startedBy} do not have${sender}`;
      case 'received':
        return `"${what}" is the event that just arrived, which only on handlers and wait_for.on_event have${sender}`;
      case 'introduce':
        return `"${what}" is the member being introduced, which only an introduce email has${sender}`;
      case 'member':
        return `"${what}" is the run's member, and ${ABOUT_COMMUNITY} has none${sender}: read report, community or run instead, or add an audience to run once per member`;
      case 'report':
        return `"${what}" is the community's weekly report, which only a schedule without an audience has${sender}: runs about a member read member instead`;
    }
  }

  private steps(steps: readonly Step[]): void {
    const exitAt = steps.findIndex((step) => step.kind === 'exit');
    const unreachable = exitAt === -1 ? undefined : steps[exitAt + 1];
    if (unreachable)
      this.report(this.at(unreachable), 'this step never runs: the exit step above it ends the run');
    for (const step of steps) this.step(step);
  }

  private at(step: Step): YamlPath {
    return this.playbook.stepSites.get(step)?.at ?? [];
  }

  private step(step: Step): void {
    const site = this.playbook.stepSites.get(step);
    const at = site?.at ?? [];
    // Derived ids contain dots and authored ones cannot, so only an authored id can be used twice.
    if (this.ids.has(step.id)) {
      this.report(
        [...at, 'id'],
        `id "${step.id}" is used twice: ids name steps in reports, so each must be unique`,
      );
    }
    this.ids.add(step.id);
    const availability = this.availability(site?.received ?? false);
    if (
      !step.authoredId &&
      !site?.anchored &&
      (step.kind === 'send_email' || step.kind === 'wait_for' || step.kind === 'at')
    ) {
      this.report(
        at,
        `add an id, like id: ${suggestedId(step)}, so reports and sends stay stable when you reorder steps`,
        {
          severity: 'warning',
        },
      );
    }
    switch (step.kind) {
      case 'send_email':
        this.email(step.template, [...at, 'send_email', 'template'], availability, step.id, {
          audience: step.to.kind === 'member' ? 'members' : 'organisers',
          category: step.category,
        });
        this.recipient(step, [...at, 'send_email', 'to']);
        return;
      case 'introduce':
        if (this.aboutCommunity)
          this.report(
            [...at, 'introduce'],
            `${ABOUT_COMMUNITY} has no member to introduce: add an audience to run once per member`,
            { target: 'key' },
          );
        this.email(
          step.template,
          [...at, 'introduce', 'template'],
          { ...availability, introduce: true },
          step.id,
          // An introduction goes to both members as community email (the interpreter's introduce step).
          { audience: 'members', category: 'community' },
        );
        step.match.same.forEach((field, index) =>
          this.memberField(field, [...at, 'introduce', 'match', 'same', index]),
        );
        if (step.match.within !== null)
          this.memberField(step.match.within, [...at, 'introduce', 'match', 'within']);
        return;
      case 'wait_until':
      case 'at':
        this.time(step.time, [...at, step.kind, 'time'], availability, step.kind === 'wait_until');
        if (step.kind === 'at') this.steps(step.do);
        return;
      case 'wait_for':
        step.events.forEach((type) => this.eventType(type, [...at, 'wait_for', 'event']));
        if (step.timeoutMs === null && step.onTimeout.length > 0) {
          this.report(
            [...at, 'on_timeout'],
            'on_timeout never runs without a timeout: add one, like timeout: 3d',
            { target: 'key' },
          );
        }
        this.steps(step.onEvent);
        this.steps(step.onTimeout);
        return;
      case 'if':
        this.steps(step.then);
        this.steps(step.else);
        return;
      case 'update_member':
        if (this.aboutCommunity)
          this.report(
            [...at, 'update_member'],
            `${ABOUT_COMMUNITY} has no member to update: add an audience to run once per member`,
            { target: 'key' },
          );
        return;
      case 'wait':
      case 'wait_local_time':
      case 'exit':
        return;
    }
  }

  private time(path: string, at: YamlPath, availability: Availability, localTimeAllowed: boolean): void {
    // `wait_until: { time: "10:00" }` means a time of day, which wait_until says with local_time.
    if (localTimeAllowed && /^\d{1,2}:\d{2}$/.test(path)) {
      this.report(at, `"${path}" is a time of day: write local_time: "${path}" instead of time`);
      return;
    }
    const shape = this.contextPath(path, at, availability, 'value');
    if (shape !== null && !mayBeDate(shape)) {
      this.report(at, `"${path}" is not a date: name one, like event.startsAt or member.joinedAt`);
    }
  }

  private memberField(field: string, at: YamlPath): void {
    const resolved = resolveFields(MEMBER, field.split('.'), field, '', this.library.memberAttributes);
    if (!resolved.ok) this.report(at, resolved.message);
  }

  private recipient(step: Extract<Step, { kind: 'send_email' }>, at: YamlPath): void {
    if (step.to.kind === 'member' && this.aboutCommunity) {
      this.report(
        at,
        `${ABOUT_COMMUNITY} has no member to send to: write to: manager or to an email address`,
      );
    }
    if (step.to.kind === 'address' && addressProblem(step.to.address) !== null) {
      const hint = didYouMean(step.to.address, ['member', 'manager']);
      this.report(at, `to "${step.to.address}" is not member, manager or an email address${hint}`);
    }
    if (
      step.to.kind === 'manager' &&
      this.community !== null &&
      this.community.settings.managers.length === 0
    ) {
      this.report(
        at,
        'to: manager sends to the managers of community.yaml, which lists none: add managers: [...] there',
      );
    }
  }

  private email(
    name: string,
    at: YamlPath,
    availability: Availability,
    stepId: string,
    send: { audience: Audience; category: Category },
  ): void {
    this.templates.add(name);
    const email = this.library.emails.get(name);
    if (email === undefined) {
      const file = `${this.library.templatesDir}/${name}.hbs`;
      this.report(
        at,
        this.library.broken.has(file)
          ? `template "${name}" has errors: see ${file}`
          : `template "${name}" not found in ${this.library.templatesDir}${this.otherEmails(name, send.audience)}`,
      );
      return;
    }
    const used = [
      email.file,
      ...(email.layout === null ? [] : [this.library.layouts.get(email.layout)?.source.file ?? '']),
    ];
    const partials = [...(this.library.partialsOf.get(name) ?? [])].map(
      (partial) => this.library.partials.get(partial)?.file ?? '',
    );
    const broken = [...used, ...partials].filter((file) => this.library.broken.has(file));
    if (broken.length > 0) {
      this.report(at, `template "${name}" does not compile: fix ${broken.join(', ')}`);
      return;
    }
    const use = checkEmailUse(this.library, email, {
      availability,
      explain: (requirement, what) => this.explain(requirement, what, stepId),
    });
    this.diagnostics.push(...use.problems);
    for (const root of use.roots) this.roots.add(root);
    if (use.readsEmails7d) this.readsEmails7d = true;
    if (send.audience === 'members') {
      const templates = planTemplates(new Set([name]), this.library);
      const missing = missingUnsubscribeLink(email, templates, {
        stepId,
        availability,
        category: send.category,
      });
      if (missing !== null) this.diagnostics.push(missing);
    }
  }

  /**
   * What to send instead of a missing email: one close by name, among the emails the folder sends to the same
   * readers or to nobody yet; never one that goes to other readers (the organisers' "no RSVP yet" note must not
   * reach a member). With none close, the list of those emails.
   */
  private otherEmails(name: string, audience: Audience): string {
    const fitting = [...this.library.emails.keys()].sort().filter((other) => {
      const readers = this.library.audiences.get(other);
      return readers === undefined || readers.has(audience);
    });
    const hint = didYouMean(name, fitting);
    if (hint !== '') return hint;
    if (fitting.length === 0) return `: create ${name}.hbs there`;
    return `: create ${name}.hbs there, or send one of the emails for ${audience}: ${fitting.join(', ')}`;
  }
}

/** How messages name a community playbook, so that the fix (an audience) is in the words. */
const ABOUT_COMMUNITY = 'a schedule without an audience runs about the community and';

function suggestedId(step: Step): string {
  if (step.kind === 'send_email') return step.template;
  if (step.kind === 'wait_for') return `waiting-for-${(step.events[0] ?? 'event').replace(/\./g, '-')}`;
  return 'reminder';
}

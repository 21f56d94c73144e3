// Phase 2, normalise: a parsed playbook -> the parts of a plan. The whole file is checked against the schema
// first (every error, with its position); then each part that fits its own schema is normalised, so that one
// broken part does not hide what is wrong in the others.

import type { Static } from '@sinclair/typebox';
import type { Audience, Condition, DeliverySettings, Goal, QuietHours, Reentry, Step } from '../plan.js';
import type { Diagnostic } from '../diagnostics.js';
import { EVENT_TYPE_PATTERN } from '../events.js';
import { schemaDiagnostics } from '../schema/messages.js';
import {
  Audience as AudienceSchema,
  ExitEntry,
  Goal as GoalSchema,
  PlaybookDelivery,
  PlaybookDocument,
  Reentry as ReentrySchema,
  Trigger,
} from '../schema/playbook.js';
import { validator } from '../schema/validator.js';
import type { Validator } from '../schema/validator.js';
import type { YamlFile, YamlPath } from '../yaml/yamlFile.js';
import { isPlainObject, normaliseCondition } from './condition.js';
import type { FieldUse } from './condition.js';
import { findSplitSteps } from './splitSteps.js';
import { StepNormaliser } from './steps.js';
import type { ConditionSite, StepSite } from './steps.js';

const document = validator(PlaybookDocument);
const trigger = validator(Trigger);
const audience = validator(AudienceSchema);
const reentry = validator(ReentrySchema);
const exitEntry = validator(ExitEntry);
const goalSchema = validator(GoalSchema);

/** A goal counts a run as converted this long after its start when the playbook does not say (language page). */
export const DEFAULT_GOAL_WITHIN = '90d';
const delivery = validator(PlaybookDelivery);

/** A schedule's time zone defaults to the community's, which validate fills in. */
export type DraftTrigger =
  | { kind: 'event'; event: string; key: string | null }
  | { kind: 'schedule'; cron: string; timezone: string | null };

/** Delivery settings a playbook overrides: a field that is absent keeps the community's. */
export type DeliveryOverrides = Partial<Omit<DeliverySettings, 'trackClicks'>> & { trackClicks?: boolean };

export interface NormalisedPlaybook {
  id: string;
  file: YamlFile;
  name: string;
  description: string | null;
  enabled: boolean;
  trigger: DraftTrigger | null;
  audience: Audience | null;
  /** The fields an audience reads, checked against its collection. */
  audienceFields: FieldUse[];
  reentry: Reentry;
  goal: Goal | null;
  /** The fields a goal's condition reads (only `received` and `member` are there at ingestion). */
  goalFields: FieldUse[];
  exit: { events: string[]; conditions: Condition[] };
  exitFields: FieldUse[];
  on: Record<string, Step[]>;
  steps: Step[];
  delivery: DeliveryOverrides;
  stepSites: ReadonlyMap<Step, StepSite>;
  conditions: readonly ConditionSite[];
}

export function normalisePlaybook(
  id: string,
  file: YamlFile,
): { playbook: NormalisedPlaybook; problems: Diagnostic[] } {
  const raw = file.value ?? {};
  const doc: Readonly<Record<string, unknown>> = isPlainObject(raw) ? raw : {};
  // A step split in two by a stray `- ` is one mistake, told once: not the schema's words about each half.
  const split = findSplitSteps(file, doc);
  const errors = document.errors(raw).filter((e) => !split.pointers.has(e.instancePath));
  const problems = [...split.problems, ...schemaDiagnostics(file, errors)];
  // A file that fits the schema fits it in every part, so its parts need no check (nor schema) of their own.
  const fits = <T>(part: Validator<T>, value: unknown): value is T =>
    (errors.length === 0 && value !== undefined) || part.is(value);
  const steps = new StepNormaliser(file, problems, split.halves);
  const text = (key: string): string | null => (typeof doc[key] === 'string' ? doc[key] : null);

  const exit = { events: new Array<string>(), conditions: new Array<Condition>() };
  const exitFields: FieldUse[] = [];
  for (const [index, entry] of (Array.isArray(doc.exit) ? doc.exit : []).entries()) {
    if (!fits(exitEntry, entry)) continue;
    if ('event' in entry) {
      if (!exit.events.includes(entry.event)) exit.events.push(entry.event);
      continue;
    }
    const normalised = normaliseCondition(
      file,
      ['exit', index, 'if'],
      entry.if,
      { allowEmpty: false },
      problems,
    );
    exit.conditions.push(normalised.condition);
    exitFields.push(...normalised.fields);
  }

  const on: Record<string, Step[]> = {};
  for (const [type, list] of Object.entries(isPlainObject(doc.on) ? doc.on : {})) {
    if (!EVENT_TYPE_PATTERN.test(type)) continue;
    on[type] = steps.list(list, {
      at: ['on', type],
      idPrefix: `on.${type}`,
      received: true,
      anchored: false,
    });
  }

  const goal = fits(goalSchema, doc.goal) ? normaliseGoal(file, doc.goal, steps, problems) : null;
  const who = fits(audience, doc.audience) ? normaliseAudience(file, doc.audience, problems) : null;
  const playbook: NormalisedPlaybook = {
    id,
    file,
    name: text('name') ?? id,
    description: text('description'),
    enabled: typeof doc.enabled === 'boolean' ? doc.enabled : true,
    trigger: fits(trigger, doc.trigger) ? draftTrigger(doc.trigger) : null,
    audience: who?.audience ?? null,
    audienceFields: who?.fields ?? [],
    reentry: fits(reentry, doc.reentry) ? normaliseReentry(doc.reentry, steps) : { kind: 'once' },
    goal: goal?.goal ?? null,
    goalFields: goal?.fields ?? [],
    exit,
    exitFields,
    on,
    steps: steps.list(doc.steps, { at: ['steps'], idPrefix: 'steps', received: false, anchored: false }),
    delivery: fits(delivery, doc.delivery) ? overrides(doc.delivery, steps) : {},
    stepSites: steps.sites,
    conditions: steps.conditions,
  };
  return { playbook, problems };
}

function draftTrigger(raw: Static<typeof Trigger>): DraftTrigger {
  if ('schedule' in raw) return { kind: 'schedule', cron: raw.schedule, timezone: raw.timezone ?? null };
  return { kind: 'event', event: raw.event, key: raw.key ?? null };
}

function normaliseAudience(
  file: YamlFile,
  raw: Static<typeof AudienceSchema>,
  problems: Diagnostic[],
): { audience: Audience; fields: FieldUse[] } {
  const [source, where, at]: ['members' | 'rsvps', Readonly<Record<string, unknown>>, YamlPath] =
    'members' in raw
      ? ['members', raw.members, ['audience', 'members']]
      : ['rsvps', raw.rsvps, ['audience', 'rsvps']];
  // `{ members: {} }` is every member: a sensible audience, unlike an `if` that always holds.
  const { condition, fields } = normaliseCondition(file, at, where, { allowEmpty: true }, problems);
  return { audience: { source, where: condition }, fields };
}

function normaliseGoal(
  file: YamlFile,
  raw: Static<typeof GoalSchema>,
  steps: StepNormaliser,
  problems: Diagnostic[],
): { goal: Goal; fields: FieldUse[] } {
  const condition =
    raw.if === undefined
      ? null
      : normaliseCondition(file, ['goal', 'if'], raw.if, { allowEmpty: false }, problems);
  const within = raw.within ?? DEFAULT_GOAL_WITHIN;
  const at: YamlPath = raw.within === undefined ? ['goal'] : ['goal', 'within'];
  return {
    goal: {
      name: raw.name,
      event: raw.event,
      condition: condition?.condition ?? null,
      withinMs: steps.duration(within, at, false),
      exit: raw.exit ?? false,
    },
    fields: condition?.fields ?? [],
  };
}

function normaliseReentry(raw: Static<typeof ReentrySchema>, steps: StepNormaliser): Reentry {
  if (raw === 'once' || raw === 'always') return { kind: raw };
  return { kind: 'after', ms: steps.duration(raw.after, ['reentry', 'after'], false) };
}

function overrides(raw: Static<typeof PlaybookDelivery>, steps: StepNormaliser): DeliveryOverrides {
  const result: DeliveryOverrides = {};
  if (raw.quiet_hours !== undefined)
    result.quietHours = raw.quiet_hours === false ? null : quietHours(raw.quiet_hours);
  if (raw.frequency_cap !== undefined) {
    const cap = raw.frequency_cap;
    result.frequencyCap =
      cap === false
        ? null
        : { max: cap.max, perMs: steps.duration(cap.per, ['delivery', 'frequency_cap', 'per'], false) };
  }
  if (raw.track_clicks !== undefined) result.trackClicks = raw.track_clicks;
  return result;
}

const quietHours = (raw: QuietHours): QuietHours => ({ start: raw.start, end: raw.end });

// The playbook file, as a schema: one source for the compiler's validation, the TypeScript types of a parsed
// playbook (Static<>), and playbooks/playbook.schema.json that editors use for completion and hover help.

import { Type } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import { CATEGORIES } from '../plan.js';
import { KeyedUnion, List, Pattern, Strict, StringEnum } from './builders.js';
import { Condition, Duration, EventType, FrequencyCap, NamedMap, QuietHours, TrackClicks } from './shared.js';

export const PLAYBOOK_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const TemplateName = Pattern(
  TEMPLATE_NAME_PATTERN,
  'a template name: a file in templates/ without .hbs, like welcome',
);
const StepId = Pattern(
  /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/,
  'an id: letters, digits, - and _, like week-before',
);
const Offset = Type.String({ description: 'a duration before (-1d) or after (2h) that time' });
const TimePath = Type.String({ description: 'the date to go by, like event.startsAt' });
const LocalTime = Pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day written HH:MM, like "09:30"');
/** Checked by the compiler, which names the day meant ("saturday" -> sat); the schema says what to write. */
const Day = Type.String({ description: 'a day: mon, tue, wed, thu, fri, sat or sun' });

/** Every kind of step, given the schema of a step inside it (then, else, do, on_event, on_timeout). */
function stepKinds(step: TSchema) {
  const id = Type.Optional(StepId);
  const steps = (description: string) => List(step, description);
  const someSteps = (description: string) => List(step, description, 1);
  const at = { time: TimePath, offset: Type.Optional(Offset) };
  return {
    send_email: Strict(
      {
        id,
        send_email: Type.Union(
          [
            TemplateName,
            Strict({
              template: TemplateName,
              to: Type.Optional(
                Type.String({ minLength: 1, description: 'member, manager, or an email address' }),
              ),
              category: Type.Optional(StringEnum(CATEGORIES, 'transactional, events, community or surveys')),
              quiet_hours: Type.Optional(Type.Boolean({ description: 'false for sends that cannot wait' })),
            }),
          ],
          { description: 'a template name, or { template, to, category, quiet_hours }' },
        ),
      },
      { title: 'send_email step', description: 'sends an email made from a template' },
    ),
    wait: Strict({ id, wait: Duration }, { title: 'wait step', description: 'waits, like wait: 3d' }),
    wait_until: Strict(
      {
        id,
        wait_until: KeyedUnion(
          {
            time: Strict(at, {
              title: 'time to wait for',
              description: 'a time taken from a record, like { time: event.startsAt, offset: -1d }',
            }),
            local_time: Strict(
              {
                local_time: LocalTime,
                days: Type.Optional(
                  List(Day, 'the days it may fall on, like [sat, sun]; every day if none', 1),
                ),
              },
              {
                title: 'local time to wait for',
                description:
                  'a time of day in the member\'s zone, like { local_time: "10:00", days: [sat, sun] }',
              },
            ),
          },
          {
            title: 'wait_until',
            description:
              'a time to wait for: { time: event.startsAt, offset: -1d } or { local_time: "10:00", days: [sat, sun] }',
          },
        ),
      },
      {
        title: 'wait_until step',
        description:
          'waits until a time taken from a record (and follows it if it moves), or the next local time of day',
      },
    ),
    at: Strict(
      {
        id,
        at: Strict(
          { ...at, if_past: Type.Optional(StringEnum(['skip', 'run'], 'skip or run')) },
          { description: 'a time, like { time: event.startsAt, offset: -7d }' },
        ),
        do: someSteps('the steps to run at that time'),
      },
      { title: 'at step', description: 'runs its do steps at a time taken from a record' },
    ),
    wait_for: Strict(
      {
        id,
        wait_for: Strict(
          {
            event: Type.Union([EventType, List(EventType, 'event types', 1)], {
              description: 'an event type, or a list of them',
            }),
            timeout: Type.Optional(Duration),
          },
          { description: 'the event to wait for, like { event: survey.responded, timeout: 3d }' },
        ),
        on_event: Type.Optional(steps('the steps to run when the event comes')),
        on_timeout: Type.Optional(steps('the steps to run when it does not come in time')),
      },
      { title: 'wait_for step', description: 'waits for an event that reaches this run' },
    ),
    if: Strict(
      {
        id,
        if: Condition,
        then: someSteps('the steps to run when the condition holds'),
        else: Type.Optional(steps('the steps to run when it does not')),
      },
      { title: 'if step', description: 'runs then or else depending on a condition' },
    ),
    update_member: Strict(
      {
        id,
        update_member: Strict(
          {
            set: Type.Optional(
              Type.Record(Type.String(), Type.Unknown(), {
                description: 'member fields and their new values',
              }),
            ),
            add_tags: Type.Optional(List(Type.String({ minLength: 1, description: 'a tag' }), 'tags to add')),
            remove_tags: Type.Optional(
              List(Type.String({ minLength: 1, description: 'a tag' }), 'tags to remove'),
            ),
          },
          { minProperties: 1, description: '{ set: { ... }, add_tags: [...], remove_tags: [...] }' },
        ),
      },
      { title: 'update_member step', description: 'writes the member record' },
    ),
    introduce: Strict(
      {
        id,
        introduce: Strict(
          {
            match: Strict(
              {
                same: List(Type.String({ minLength: 1, description: 'a member field' }), 'member fields', 1),
                within: Type.Optional(Type.String({ minLength: 1, description: 'a member field' })),
              },
              { description: 'what the two members share, like { same: [interests], within: subgroup }' },
            ),
            template: TemplateName,
          },
          { description: '{ match: { same: [interests] }, template: peer-introduction }' },
        ),
      },
      { title: 'introduce step', description: 'introduces the member to a peer by email' },
    ),
    exit: Strict(
      {
        id,
        exit: Type.String({ minLength: 1, description: 'text: the reason the run ends, shown in reports' }),
      },
      { title: 'exit step', description: 'ends the run' },
    ),
  };
}

const stepUnion = (step: TSchema) =>
  KeyedUnion(stepKinds(step), {
    title: 'step',
    description: 'a mapping like send_email: welcome or wait: 3d',
  });

export const Trigger = KeyedUnion(
  {
    event: Strict(
      {
        event: EventType,
        key: Type.Optional(
          Pattern(
            /^(eventId|data(\.[A-Za-z0-9_]+)+)$/,
            'the event field that tells runs apart: eventId or data.<field>',
          ),
        ),
      },
      { title: 'event trigger', description: 'starts a run when an event comes' },
    ),
    schedule: Strict(
      {
        schedule: Type.String({
          description: 'a cron schedule like "0 10 * * *" (minute hour day month weekday)',
        }),
        timezone: Type.Optional(Type.String({ description: 'a time zone like Europe/London' })),
      },
      {
        title: 'schedule trigger',
        description:
          'starts runs on a schedule: one per member of the audience, or one about the community without one',
      },
    ),
  },
  {
    title: 'trigger',
    description: 'what starts a run: { event: member.approved } or { schedule: "0 10 * * *" }',
  },
);

export const Audience = KeyedUnion(
  {
    members: Strict({ members: Condition }, { title: 'members audience', description: 'members that match' }),
    rsvps: Strict(
      { rsvps: Condition },
      { title: 'rsvps audience', description: "RSVPs of the trigger's event" },
    ),
  },
  { title: 'audience', description: 'who gets a run: { members: condition } or { rsvps: condition }' },
);

export const Reentry = Type.Union(
  [StringEnum(['once', 'always'], 'once or always'), Strict({ after: Duration })],
  { description: 'once, always, or { after: 90d }' },
);

export const Goal = Strict(
  {
    name: Type.String({ minLength: 1, description: 'what success means, shown in reports' }),
    event: EventType,
    if: Type.Optional(Condition),
    within: Type.Optional(Duration),
    exit: Type.Optional(
      Type.Boolean({ description: 'true: reaching the goal ends a run in flight (default false)' }),
    ),
  },
  {
    title: 'goal',
    description:
      "what success means for a run's member: { name: Came back, event: member.active, within: 14d }",
  },
);

export const ExitEntry = KeyedUnion(
  {
    event: Strict({ event: EventType }, { title: 'exit event', description: 'an event that ends the run' }),
    if: Strict({ if: Condition }, { title: 'exit condition', description: 'a condition that ends the run' }),
  },
  { title: 'exit entry', description: 'a mapping: { event: member.left } or { if: condition }' },
);

export const PlaybookDelivery = Strict(
  {
    quiet_hours: Type.Optional(
      Type.Union([QuietHours, Type.Literal(false)], {
        description: 'a mapping like { start: "21:00", end: "08:00" }, or false for none',
      }),
    ),
    frequency_cap: Type.Optional(
      Type.Union([FrequencyCap, Type.Literal(false)], {
        description: 'a mapping like { max: 3, per: 7d }, or false for none',
      }),
    ),
    track_clicks: Type.Optional(TrackClicks),
  },
  { description: 'overrides of the delivery settings in community.yaml' },
);

/** The top-level fields, given the schema of one step. */
function playbookProperties(step: TSchema) {
  return {
    name: Type.String({ minLength: 1, description: 'the name shown in reports' }),
    description: Type.Optional(Type.String({ description: 'what the playbook is for' })),
    enabled: Type.Optional(Type.Boolean({ description: 'false: no new runs start; runs in flight go on' })),
    trigger: Trigger,
    audience: Type.Optional(Audience),
    reentry: Type.Optional(Reentry),
    goal: Type.Optional(Goal),
    exit: Type.Optional(List(ExitEntry, 'what ends a run at once, even in the middle of a wait')),
    on: Type.Optional(
      NamedMap(EventType, List(step, 'steps'), 'steps to run when an event reaches a run in flight'),
    ),
    delivery: Type.Optional(PlaybookDelivery),
    steps: List(step, 'the steps of a run, in order', 1),
  };
}

const STEP_REF = Type.Ref('#/$defs/step');

/** The whole file, with steps defined once and referenced wherever steps nest. */
export const PlaybookDocument = Strict(playbookProperties(STEP_REF), {
  title: 'playbook',
  description: 'A Tend playbook: what happens to a member, step by step, from a trigger until the run ends.',
  $defs: { step: stepUnion(STEP_REF) },
});

/**
 * A step with the steps nested in it left unchecked. The compiler normalises a playbook step by step with it,
 * so that one broken step does not hide what is wrong in the steps around it.
 */
export const StepShell = stepUnion(Type.Unknown());
export type StepShell = Static<typeof StepShell>;

/**
 * Each kind of step and the keys it takes beside `id` and its own (`wait_for`: on_event, on_timeout): what
 * the compiler names when a stray `- ` splits one step in two.
 */
export const STEP_KEYS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(stepKinds(Type.Unknown())).map(([kind, schema]) => [
    kind,
    Object.keys(schema.properties).filter((key) => key !== 'id' && key !== kind),
  ]),
);

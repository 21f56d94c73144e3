// Schemas used by more than one file: event types, durations, conditions, delivery settings.

import { Type } from '@sinclair/typebox';
import { EVENT_TYPE_PATTERN } from '../events.js';
import { Pattern, Strict } from './builders.js';

export const EventType = Pattern(
  EVENT_TYPE_PATTERN,
  'an event type: lowercase words joined by dots, like member.approved',
);

export const Duration = Type.String({ description: 'a duration like 30m, 2h, 3d or 1w' });

/** MongoDB-style: operators and paths are checked by the compiler, which can say where and what instead. */
export const Condition = Type.Record(Type.String(), Type.Unknown(), {
  description: 'a condition, like { member.status: active }',
});

const Clock = Pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day like 21:00');

export const TrackClicks = Type.Boolean({
  description: 'false: links are left as written, and clicks are not counted (default true)',
});

export const QuietHours = Strict(
  { start: Clock, end: Clock },
  {
    description:
      'the hours in which sends wait, in the member\'s time, like { start: "21:00", end: "08:00" }',
  },
);

export const FrequencyCap = Strict(
  {
    max: Type.Integer({ minimum: 1, description: 'how many emails at most' }),
    per: Duration,
  },
  { description: 'at most max emails per member in per, like { max: 3, per: 7d }' },
);

/** A mapping whose keys the manager chooses (event types, form names), each checked against `key`. */
export const NamedMap = <T extends Parameters<typeof Type.Record>[1]>(
  key: ReturnType<typeof Pattern>,
  value: T,
  description: string,
) => Type.Record(Type.String(), value, { propertyNames: key, description });

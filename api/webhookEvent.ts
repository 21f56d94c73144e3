// A verified webhook payload as an event: community.yaml maps event fields to dotted paths in the payload
// (`eventId: data.hidden.event_id`, `data.score: data.answers.nps`). Only the event fields below can be
// targets; the type is always the webhook's. The id is derived from the `webhook-id` header (the same on
// every redelivery of a message, which makes a redelivery a duplicate), or from the payload's own id when
// community.yaml maps one; either way it is prefixed with the webhook's name, so no sender can claim the id
// of an event that came in another way.

import type { TendEvent } from '../compiler/events.js';
import { getPath, setPath } from './dataPath.js';
import { Unprocessable } from './errors.js';
import type { WebhookConfig } from './plansSource.js';

const SCALAR_TARGETS = ['id', 'memberId', 'email', 'eventId', 'occurredAt'] as const;
type ScalarTarget = (typeof SCALAR_TARGETS)[number];

function webhookEventId(name: string, webhookId: string): string {
  return `webhook:${name}:${webhookId}`;
}

export function webhookEvent(
  name: string,
  hook: WebhookConfig,
  payload: unknown,
  webhookId: string,
): TendEvent {
  const event: TendEvent = { type: hook.event, id: webhookEventId(name, webhookId) };
  const data: Record<string, unknown> = {};
  for (const [target, source] of Object.entries(hook.map)) {
    const value = getPath(payload, source);
    if (value === undefined || value === null) continue;
    if (target.startsWith('data.')) setPath(data, target.slice('data.'.length), value);
    else if (target === 'id') event.id = webhookEventId(name, scalar(value, source, target));
    else if (isScalarTarget(target)) event[target] = scalar(value, source, target);
    else
      throw new Unprocessable(`the ${name} webhook maps "${target}", which is not an event field it may set`);
  }
  return Object.keys(data).length === 0 ? event : { ...event, data };
}

function isScalarTarget(target: string): target is ScalarTarget {
  return (SCALAR_TARGETS as readonly string[]).includes(target);
}

/** Ids may come as numbers (many platforms number things); everything else must already be text. */
function scalar(value: unknown, source: string, target: ScalarTarget): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value) && target !== 'email' && target !== 'occurredAt') {
    return String(value);
  }
  throw new Unprocessable(`the payload's ${source} must be text to become the event's ${target}`);
}

// Event types a playbook names. Any type is allowed (a community's platform may send its own), so a near miss
// of a type the engine knows is only a warning: `member.aproved` would wait for an event that never comes.

import { closestName } from './didYouMean.js';
import { KNOWN_EVENT_TYPES } from './events.js';

export function nearMissOfKnownType(type: string): string | null {
  if ((KNOWN_EVENT_TYPES as readonly string[]).includes(type)) return null;
  const close = closestName(type, KNOWN_EVENT_TYPES);
  return close === null
    ? null
    : `"${type}" is not an event type Tend knows (did you mean "${close}"?): it only matches events sent with exactly this type`;
}

/** Known types about one member (a run is theirs); the other known types are about a community event. */
export const isMemberEventType = (type: string): boolean =>
  (KNOWN_EVENT_TYPES as readonly string[]).includes(type) && !type.startsWith('event.');

export const isCommunityEventType = (type: string): boolean =>
  (KNOWN_EVENT_TYPES as readonly string[]).includes(type) && type.startsWith('event.');

/** Runs started by these carry an eventId: the event the RSVP, the survey or the change is about. */
export const carriesEventId = (type: string): boolean => /^(event|rsvp|survey)\./.test(type);

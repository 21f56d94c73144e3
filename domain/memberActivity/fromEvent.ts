// Which activities an applied event means (../shared/docs/reports.md, "Activity"): `member.active`, an RSVP
// created or updated to `going`, an attended mark, a survey response, a human click. Joining is not activity;
// neither is a cancellation, an unsubscribe, nor an update that only marks attendance (it says nothing new
// about the member's intent; the mark itself is the activity).

import type { RoutedEvent } from '../../compiler/events.js';
import type { ActivityDoc } from '../../db/index.js';
import { activityId } from './activityId.js';

/** The event type a human click arrives as (the scanner's clicks are never routed as events). */
export const CLICK_EVENT = 'email.clicked';

/** `madeGoing`: the event is an RSVP created as, or explicitly updated to, `going`. */
export function activitiesOf(event: RoutedEvent, madeGoing: boolean): ActivityDoc[] {
  const { memberId, eventId } = event;
  if (memberId === null) return [];
  const at = new Date(event.occurredAt);
  const ref = event.id;
  const activity = (kind: ActivityDoc['kind'], about: string | null): ActivityDoc => ({
    _id: activityId(kind, memberId, about, at),
    memberId,
    kind,
    at,
    ...(about === null ? {} : { eventId: about }),
    ref,
  });
  switch (event.type) {
    case 'member.active':
      return [activity('active', null)];
    case CLICK_EVENT:
      return [activity('click', null)];
    case 'rsvp.created':
    case 'rsvp.updated': {
      if (eventId === null) return [];
      const going = madeGoing ? [activity('rsvp', eventId)] : [];
      const attended = event.data.attended === true ? [activity('attended', eventId)] : [];
      return [...going, ...attended];
    }
    case 'survey.responded':
      return eventId === null ? [] : [activity('survey', eventId)];
    default:
      return [];
  }
}

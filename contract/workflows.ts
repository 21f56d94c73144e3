// How the outside talks to a run of `playbookRun`: the signal that brings it an event, the query that shows
// its state, and the search attributes that list runs by playbook, member and key; and the signal that hands
// accepted events to an eventQueue. The API, the worker and the CLI import these names from here, so a
// renamed handler cannot leave a caller behind. This file sits in
// contract/, below workflows/ and activities/: both import it, and it pulls nothing but Temporal's
// definitions into the workflow bundle.

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RoutedEvent } from '../compiler/events.js';
import type { QueuedEvent } from './events.js';
import type { RunResult, RunState } from './runtime.js';

/** The workflow type of a member's run of a playbook (workflows/playbookRun.ts). */
export const PLAYBOOK_RUN = 'playbookRun';

/** The workflow type of the audience fan-out (workflows/fanOut.ts). */
export const FAN_OUT_WORKFLOW = 'fanOut';

/**
 * The workflow type that ingests one ordering key's events in the order they were accepted
 * (workflows/eventQueue.ts). The API signals it with start. It supersedes ingestEvents, which the worker
 * still registers for ingestions an older API started, but which nothing starts any more.
 */
export const EVENT_QUEUE_WORKFLOW = 'eventQueue';

/** Events one request accepted, in order, all with the eventQueue's ordering key. */
export const eventsAcceptedSignal = defineSignal<[QueuedEvent[]]>('eventsAccepted');

/** An accepted event routed to this run (`exit`, `on`, `wait_for`, and waits that follow a record). */
export const routeEventSignal = defineSignal<[RoutedEvent]>('routeEvent');

/** Playbook, version, member, status, current step, next wake-up and the steps done with their outcome. */
export const statusQuery = defineQuery<RunState>('status');

/**
 * Keyword search attributes every run carries. The Temporal server must have them registered (the dev stack,
 * the tests and docker-compose do: `temporal operator search-attribute create --type Keyword --name ...`);
 * a server without them refuses the run's first workflow task, so a missing registration shows at once.
 */
export const TEND_PLAYBOOK = defineSearchAttributeKey('TendPlaybook', SearchAttributeType.KEYWORD);
export const TEND_MEMBER = defineSearchAttributeKey('TendMember', SearchAttributeType.KEYWORD);
export const TEND_KEY = defineSearchAttributeKey('TendKey', SearchAttributeType.KEYWORD);

/** How a run ended: every run completes or exits; cancelling a run is an exit with the reason `cancelled`. */
export type RunOutcome = Exclude<RunResult, { kind: 'continue' }>;

/** The reason a cancelled run reports (`POST /v1/runs/:id/cancel`). */
export const CANCELLED = 'cancelled';

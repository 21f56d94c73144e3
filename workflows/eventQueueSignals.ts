// How the API hands accepted events to an eventQueue workflow (workflows/eventQueue.ts): the workflow type
// and the signal, shared by the API, which signals with start, and the workflow, which handles it.

import { defineSignal } from '@temporalio/workflow';
import type { QueuedEvent } from '../activities/events/types.js';

/** The workflow type that ingests one ordering key's events in the order they were accepted. */
export const EVENT_QUEUE_WORKFLOW = 'eventQueue';

/** Events one request accepted, in order, all with the queue's ordering key. */
export const eventsAcceptedSignal = defineSignal<[QueuedEvent[]]>('eventsAccepted');

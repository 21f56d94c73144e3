// Three worker processes and two API processes on the same servers, members through the application review
// and onboarding, and one worker SIGKILLed midway (issue #9): every email arrives exactly once. The runs,
// event queues and sends the dead worker had in hand are taken over by the other two once Temporal sees it
// gone (its activities time out, its cached workflows move to the shared task queue).
//
// Scaled to a 2-core CI machine: 60 members, 180 emails (the issue says 500 members). Most of the time goes
// after the kill and does not grow with members: a send the dead worker had in hand waits out its attempt's
// 2-minute timeout (workflows/runActivities.ts) before another worker retries it.
//
// The kill lands while the relay is paused, with every email the relay has taken recorded in the ledger. One
// window no system can close is thereby left out on purpose: a worker dying in the milliseconds between the
// relay's 250 and its heartbeat reaching Temporal (activities/delivery/deliver.ts) resends that email under
// the same Message-ID, since an SMTP relay offers no way to ask what it took. A random kill on a busy
// machine lands there often enough to make a test flaky; everywhere else, this test holds the engine to once.

import { describe, expect, it } from 'vitest';
import { eventually } from '../acceptance/support/eventually.js';
import { postEvents, received, sentTwice } from './support/mail.js';
import { useOwnServers } from './support/ownServers.js';
import { useOwnStack } from './support/ownStack.js';
import { noSendInFlight } from './support/settled.js';
import { useStackRecords } from './support/stackRecords.js';

const servers = useOwnServers();
const stack = useOwnStack(servers, { workers: 3, apis: 2 });
const records = useStackRecords(servers);

const MEMBERS = 60;
const run = Date.now().toString(36);
const emailOf = (index: number) => `worker-${run}-${index}@example.org`;
const nameOf = (index: number) => `Member ${run} ${index}`;
const MANAGER = 'organisers@riverside.example';
const ACKNOWLEDGED = /got your application/;
const WELCOME = /^Welcome to /;
const requestFor = (index: number) => new RegExp(`^New join request: ${nameOf(index)}$`);

const indexes = Array.from({ length: MEMBERS }, (_, index) => index);
const everyone = (count: (index: number) => number) => indexes.filter((index) => count(index) > 0).length;
const acknowledged = (index: number) => received(stack.mailbox, emailOf(index), ACKNOWLEDGED);
const asked = (index: number) => received(stack.mailbox, MANAGER, requestFor(index));
const welcomed = (index: number) => received(stack.mailbox, emailOf(index), WELCOME);

/** Posts one event per member, the members shared out between the two API processes. */
async function postForEveryone(event: (index: number) => object): Promise<void> {
  const answers = await Promise.all(indexes.map((index) => postEvents(stack, [event(index)], index % 2)));
  expect(answers.filter((status) => status !== 202)).toEqual([]);
}

/** Every message the relay has taken is recorded as sent in the ledger. */
async function relayedAllRecorded(): Promise<true | undefined> {
  const ids = stack.mailbox
    .messages()
    .flatMap(({ messageId }) => (messageId === undefined ? [] : [messageId]));
  const recorded = await records.models.deliveries
    .countDocuments({ messageId: { $in: ids }, status: 'sent' })
    .exec();
  return recorded === new Set(ids).size ? true : undefined;
}

describe('a worker killed among three', { timeout: 900_000 }, () => {
  it('every member gets every email exactly once', async () => {
    await postForEveryone((index) => ({
      type: 'member.applied',
      id: `apply-${run}-${index}`,
      email: emailOf(index),
      data: { name: nameOf(index) },
    }));
    await eventually(
      'every application acknowledged and put to the organisers',
      () => (everyone(acknowledged) === MEMBERS && everyone(asked) === MEMBERS ? true : undefined),
      { timeoutMs: 300_000, explain: stack.explain },
    );

    await postForEveryone((index) => ({
      type: 'member.approved',
      id: `approve-${run}-${index}`,
      email: emailOf(index),
    }));
    await eventually(
      'half the members welcomed',
      () => (everyone(welcomed) >= MEMBERS / 2 ? true : undefined),
      {
        timeoutMs: 300_000,
        explain: stack.explain,
      },
    );
    await stack.mailbox.pause();
    try {
      await eventually('every email the relay took recorded', relayedAllRecorded, { explain: stack.explain });
      const [victim] = stack.workers;
      if (victim === undefined) throw new Error('the stack has no worker');
      await victim.kill();
    } finally {
      await stack.mailbox.resume();
    }
    expect(everyone(welcomed), 'welcomes were still due when the worker died').toBeLessThan(MEMBERS);

    await eventually('every member welcomed', () => (everyone(welcomed) === MEMBERS ? true : undefined), {
      timeoutMs: 400_000,
      explain: stack.explain,
    });
    await eventually('no send in flight', () => noSendInFlight(records), {
      timeoutMs: 240_000,
      explain: stack.explain,
    });
    const counts = indexes.map((index) => ({
      member: index,
      acknowledged: acknowledged(index),
      asked: asked(index),
      welcomed: welcomed(index),
    }));
    expect(
      counts.filter((count) => count.acknowledged !== 1 || count.asked !== 1 || count.welcomed !== 1),
    ).toEqual([]);
    expect(sentTwice(stack.mailbox)).toEqual([]);
  });
});

// The Temporal server SIGKILLed in the middle of many members' onboarding and started again on the same
// database file (issue #9): every member gets each email exactly once: 0 lost, 0 duplicate. The worker and
// the API are real processes on this file's own servers; a worker that gave up while Temporal was away is
// started again, as an orchestrator would.

import { describe, expect, it } from 'vitest';
import { eventually } from '../acceptance/support/eventually.js';
import { postEvents, received, sentTwice } from './support/mail.js';
import { useOwnServers } from './support/ownServers.js';
import { useOwnStack } from './support/ownStack.js';
import { noSendInFlight } from './support/settled.js';
import { useStackRecords } from './support/stackRecords.js';

const servers = useOwnServers();
const stack = useOwnStack(servers, { workers: 1, apis: 1 });
const records = useStackRecords(servers);

const MEMBERS = 30;
const run = Date.now().toString(36);
const emailOf = (index: number) => `killed-${run}-${index}@example.org`;
// Onboarding's first email, sent at once on approval. (The application review's acknowledgement is skipped
// when the approval comes right after the application: the review exits on it.)
const WELCOME = /^Welcome to /;

async function joinAndApprove(index: number): Promise<void> {
  const email = emailOf(index);
  const status = await postEvents(stack, [
    { type: 'member.applied', id: `apply-${run}-${index}`, email, data: { name: `Member ${index}` } },
    { type: 'member.approved', id: `approve-${run}-${index}`, email },
  ]);
  expect(status).toBe(202);
}

describe('Temporal killed mid-runs', { timeout: 400_000 }, () => {
  it('restarted on the same database file: every email once, none lost, none twice', async () => {
    const indexes = Array.from({ length: MEMBERS }, (_, index) => index);
    await Promise.all(indexes.map(joinAndApprove));
    const welcomed = () =>
      indexes.filter((index) => received(stack.mailbox, emailOf(index), WELCOME) > 0).length;
    await eventually('a third of the welcomes sent', () => (welcomed() >= MEMBERS / 3 ? true : undefined), {
      timeoutMs: 120_000,
      explain: stack.explain,
    });

    await servers.temporal.kill();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await servers.temporal.restart();
    if (stack.workers.every((worker) => worker.exitReason() !== undefined)) await stack.startWorker();

    await eventually('every member welcomed', () => (welcomed() === MEMBERS ? true : undefined), {
      timeoutMs: 240_000,
      explain: stack.explain,
    });
    // Counted once no claim is open: a retried send (30 s after a failed attempt) would come before that.
    await eventually('no send in flight', () => noSendInFlight(records), {
      timeoutMs: 180_000,
      explain: stack.explain,
    });
    const counts = indexes.map((index) => ({
      member: index,
      welcome: received(stack.mailbox, emailOf(index), WELCOME),
    }));
    expect(counts.filter((count) => count.welcome !== 1)).toEqual([]);
    expect(sentTwice(stack.mailbox)).toEqual([]);
  });
});

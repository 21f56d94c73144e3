// The Temporal server SIGKILLed in the middle of many members' onboarding and started again on the same
// database file (issue #9): every member gets each email exactly once: 0 lost, 0 duplicate. The worker and
// the API are real processes on this file's own servers; a worker that gave up while Temporal was away is
// started again, as an orchestrator would.

import { describe, expect, it } from 'vitest';
import { eventually } from '../acceptance/support/eventually.js';
import { useOwnServers } from './support/ownServers.js';
import { useOwnStack } from './support/ownStack.js';

const servers = useOwnServers();
const stack = useOwnStack(servers, { workers: 1, apis: 1 });

const MEMBERS = 30;
const run = Date.now().toString(36);
const emailOf = (index: number) => `killed-${run}-${index}@example.org`;
// Onboarding's first email, sent at once on approval. (The application review's acknowledgement is skipped
// when the approval comes right after the application: the review exits on it.)
const WELCOME = /^Welcome to /;

function received(to: string, subject: RegExp): number {
  return stack.mailbox
    .messages()
    .filter((message) => message.envelope.to.includes(to) && subject.test(message.subject)).length;
}

async function joinAndApprove(index: number): Promise<void> {
  const email = emailOf(index);
  const answer = await fetch(`${stack.apis[0]}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify([
      { type: 'member.applied', id: `apply-${run}-${index}`, email, data: { name: `Member ${index}` } },
      { type: 'member.approved', id: `approve-${run}-${index}`, email },
    ]),
  });
  expect(answer.status).toBe(202);
}

describe('Temporal killed mid-runs', { timeout: 400_000 }, () => {
  it('restarted on the same database file: every email once, none lost, none twice', async () => {
    const indexes = Array.from({ length: MEMBERS }, (_, index) => index);
    await Promise.all(indexes.map(joinAndApprove));
    const welcomed = () => indexes.filter((index) => received(emailOf(index), WELCOME) > 0).length;
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
    // Anything sent twice would be sent by now: a retried send goes out within seconds.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const counts = indexes.map((index) => ({ member: index, welcome: received(emailOf(index), WELCOME) }));
    expect(counts.filter((count) => count.welcome !== 1)).toEqual([]);
  });
});

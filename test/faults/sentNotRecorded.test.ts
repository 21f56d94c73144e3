// The write that marks a send done fails after SMTP's 250 (issue #9), through a TCP proxy between the worker
// and its database (support/databaseProxy.ts), two ways:
//   - every connection cut the moment the relay has accepted the email, and new ones refused for longer than
//     `deliver` retries that write in place, so the attempt that sent the email fails without recording it.
//     Temporal then retries the activity, which finds the ledger's claim still open: it must record the
//     email, not send it a second time (activities/delivery/deliver.ts, step (i));
//   - the write done by the server but its answer lost with the connection: the retried write must find the
//     email recorded, not record or send it again.

import { describe, expect, it } from 'vitest';
import { runWorkflowId } from '../../domain/runs/runIds.js';
import { eventually } from '../acceptance/support/eventually.js';
import { useDatabaseProxy } from './support/databaseProxy.js';
import { postEvents, received, sentTwice } from './support/mail.js';
import { useOwnServers } from './support/ownServers.js';
import { useOwnStack } from './support/ownStack.js';
import { useStackRecords } from './support/stackRecords.js';

const servers = useOwnServers();
const proxy = useDatabaseProxy(servers);
const stack = useOwnStack(servers, { workers: 1, apis: 1, workerDatabase: () => proxy.address });
const records = useStackRecords(servers);

const run = Date.now().toString(36);
// Onboarding's first email, sent at once on approval: with the member already there (no application, so no
// application review), it is the only email the approval sends.
const WELCOME = /^Welcome to /;

interface Approved {
  email: string;
  workflowId: string;
}

/** A member of its own, approved: onboarding starts and sends the welcome. */
async function approveNewMember(name: string): Promise<Approved> {
  const memberId = `m-${name}-${run}`;
  const email = `${name}-${run}@example.org`;
  await records.models.members.create({ _id: memberId, email, status: 'applied' });
  expect(await postEvents(stack, [{ type: 'member.approved', id: `approve-${name}-${run}`, email }])).toBe(
    202,
  );
  return { email, workflowId: runWorkflowId('onboarding', memberId, null) };
}

/** The welcome is recorded as sent, arrived once, and nothing arrived twice. */
async function expectWelcomedOnce({ email, workflowId }: Approved): Promise<void> {
  const row = await eventually(
    'the ledger records the welcome as sent',
    async () => {
      const found = await records.models.deliveries.findOne({ workflowId, stepId: 'welcome' }).lean();
      return found?.status === 'sent' ? found : undefined;
    },
    { timeoutMs: 180_000, explain: stack.explain },
  );
  await eventually(
    'no attempt of deliver is left',
    async () => ((await records.pendingAttempt(workflowId, 'deliver')) === undefined ? true : undefined),
    { explain: stack.explain },
  );
  expect(received(stack.mailbox, email, WELCOME)).toBe(1);
  expect(sentTwice(stack.mailbox)).toEqual([]);
  const [welcome] = stack.mailbox.messages().filter((message) => message.envelope.to.includes(email));
  expect(welcome?.messageId).toBe(row.messageId);
}

/**
 * Whether a wire message is an `update` command on `collection`: a BSON string element named `update` (its
 * name NUL-terminated, then the value's length in 4 bytes) whose value is the collection's name.
 */
function isUpdateOf(collection: string): (request: Buffer) => boolean {
  const name = Buffer.from('update\u0000');
  const value = Buffer.from(`${collection}\u0000`);
  return (request) => {
    const at = request.indexOf(name);
    const start = at + name.length + 4;
    return at >= 0 && request.subarray(start, start + value.length).equals(value);
  };
}

describe('the ledger write after SMTP 250 fails', { timeout: 400_000 }, () => {
  it('the write done but its answer lost: the email is recorded once and sent once', async () => {
    // Only settling a claimed row (activities/delivery/ledger.ts) sends `update` to the ledger. Other updates
    // may carry the word too (the member's index has a `deliveries` list), so the match is on the command
    // document's first element: `update` with the collection's name as its value.
    const lost = proxy.loseReplyTo(isUpdateOf('deliveries'));
    const approved = await approveNewMember('lost');
    await lost;
    await expectWelcomedOnce(approved);
    expect(stack.workers[0]?.lines.some((line) => line.includes('could not record a sent email'))).toBe(true);
  });

  it('the next attempt records the email and does not send it again', async () => {
    const before = stack.mailbox.messages().length;
    const approved = await approveNewMember('cut');
    const { workflowId } = approved;

    // The mailbox has the email and is about to answer 250: from now on the worker cannot reach its database.
    await stack.mailbox.waitForMessages(before + 1, 180_000);
    proxy.cut();
    try {
      await eventually(
        "deliver's first attempt gave up recording the email",
        async () => ((await records.pendingAttempt(workflowId, 'deliver')) ?? 0) >= 2 || undefined,
        { timeoutMs: 240_000, explain: stack.explain },
      );
      const claim = await records.models.deliveries.findOne({ workflowId, stepId: 'welcome' }).lean();
      expect(claim?.status).toBe('claimed');
    } finally {
      proxy.restore();
    }

    await expectWelcomedOnce(approved);
  });
});

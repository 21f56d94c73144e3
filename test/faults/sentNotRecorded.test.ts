// The write that marks a send done fails after SMTP's 250 (issue #9): a TCP proxy between the worker and
// its database cuts every connection the moment the relay has accepted the email, and refuses new ones for
// longer than `deliver` retries that write in place, so the attempt that sent the email fails without
// recording it. Temporal then retries the activity, which finds the ledger's claim still open: it must record
// the email, not send it a second time (activities/delivery/deliver.ts, step (i)).

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

describe('the ledger write after SMTP 250 fails', { timeout: 400_000 }, () => {
  it('the next attempt records the email and does not send it again', async () => {
    const memberId = `m-cut-${run}`;
    const email = `cut-${run}@example.org`;
    const workflowId = runWorkflowId('onboarding', memberId, null);
    await records.models.members.create({ _id: memberId, email, status: 'applied' });
    const before = stack.mailbox.messages().length;
    expect(await postEvents(stack, [{ type: 'member.approved', id: `approve-${run}`, email }])).toBe(202);

    // The mailbox has the email and is about to answer 250: from now on the worker cannot reach its database.
    await stack.mailbox.waitForMessages(before + 1, 180_000);
    proxy.cut();
    try {
      await eventually(
        "deliver's first attempt gave up recording the email",
        async () => ((await records.pendingAttempt(workflowId, 'deliver')) ?? 0) >= 2 || undefined,
        { timeoutMs: 240_000, explain: stack.explain },
      );
      expect(await records.models.deliveries.findOne({ workflowId, stepId: 'welcome' }).lean()).toMatchObject(
        {
          status: 'claimed',
        },
      );
    } finally {
      proxy.restore();
    }

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
  });
});

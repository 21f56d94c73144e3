// The dev inbox lists the emails Tend is holding beside the ones it sent, read from the holds the deliver
// activity writes down and the run records, on a real MongoDB-wire server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldEmailsFrom } from '../../cli/dev/heldEmails.js';
import { buildInbox } from '../../cli/dev/inbox.js';
import { startMailbox, type Mailbox } from '../../cli/dev/mailbox.js';
import {
  createModels,
  ensureIndexes,
  runRecordId,
  type Models,
  type RunRecordStatus,
} from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;
let mailbox: Mailbox;
const HOUR = 3600 * 1000;
const now = Date.now();

async function runRecord(workflowId: string, memberId: string, status: RunRecordStatus): Promise<void> {
  await models.runs.create({
    _id: runRecordId(workflowId.replace(/^run:/, ''), 0),
    runKey: workflowId.replace(/^run:/, ''),
    sequence: 0,
    playbook: workflowId.split(':')[1] ?? '',
    version: 'v1',
    memberId,
    key: null,
    workflowId,
    triggerId: `evt-${memberId}`,
    status,
    startedAt: new Date(now - HOUR),
    closedAt: null,
  });
}

async function hold(workflowId: string, to: string, fields: { subject: string | null; untilMs: number }) {
  await models.holds.create({
    _id: `${workflowId}@1/acknowledge/0`,
    memberId: to.split('@')[0] ?? '',
    to: [to],
    subject: fields.subject,
    template: 'application-received',
    playbook: workflowId.split(':')[1] ?? '',
    workflowId,
    stepId: 'acknowledge',
    reason: 'quiet_hours',
    until: new Date(now + fields.untilMs),
    heldAt: new Date(now - HOUR),
  });
}

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  mailbox = await startMailbox({ port: 0 });
  await runRecord('run:application-review:ada', 'ada', 'running');
  await runRecord('run:application-review:bo', 'bo', 'waiting');
  await runRecord('run:application-review:cy', 'cy', 'exited');
  await runRecord('run:application-review:di', 'di', 'running');
  // Ada's and Bo's emails wait for the morning; Bo's comes first.
  await hold('run:application-review:ada', 'ada@example.org', {
    subject: 'We got <your> application',
    untilMs: 9 * HOUR,
  });
  await hold('run:application-review:bo', 'bo@example.org', { subject: null, untilMs: 2 * HOUR });
  // Cy's run has ended (Cy left): it will not send. Di's hold is over: the run has sent it or held it again.
  await hold('run:application-review:cy', 'cy@example.org', { subject: 'Cy', untilMs: 9 * HOUR });
  await hold('run:application-review:di', 'di@example.org', { subject: 'Di', untilMs: -HOUR });
});

afterAll(() => mailbox.close());

describe('the held emails in the dev inbox', () => {
  const inbox = () => buildInbox(mailbox, heldEmailsFrom(models));

  it('are the holds still to come of runs still open, the next to go first', async () => {
    const response = await inbox().inject({ url: '/api/held' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      {
        to: ['bo@example.org'],
        subject: null,
        template: 'application-received',
        playbook: 'application-review',
        reason: 'quiet_hours',
        until: new Date(now + 2 * HOUR).toISOString(),
        heldAt: new Date(now - HOUR).toISOString(),
      },
      {
        to: ['ada@example.org'],
        subject: 'We got <your> application',
        template: 'application-received',
        playbook: 'application-review',
        reason: 'quiet_hours',
        until: new Date(now + 9 * HOUR).toISOString(),
        heldAt: new Date(now - HOUR).toISOString(),
      },
    ]);
  });

  it('show on the page with to, subject (escaped), until when and why, above the sent mail', async () => {
    const response = await inbox().inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    const page = response.body;
    expect(page).toContain('<h2>Held (2)</h2>');
    expect(page).toContain(
      `<tr><td>ada@example.org</td>\n<td>We got &#60;your&#62; application</td>\n<td>${new Date(now + 9 * HOUR).toISOString()}</td><td>quiet hours (the reader&#39;s night)</td></tr>`,
    );
    expect(page).toContain('<td>(template application-received)</td>');
    expect(page).not.toContain('cy@example.org');
    expect(page).not.toContain('di@example.org');
    expect(page.indexOf('<h2>Held (2)</h2>')).toBeLessThan(page.indexOf('<h2>Sent</h2>'));
  });

  it('are left out, saying why, when the database does not answer', async () => {
    const failing = buildInbox(mailbox, () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')));
    const page = await failing.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Held emails could not be read: connect ECONNREFUSED 127.0.0.1:1');
    const api = await failing.inject({ url: '/api/held' });
    expect(api.statusCode).toBe(503);
  });
});

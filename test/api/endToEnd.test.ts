// From a public form to a welcome email, on the real stack with the real runs, activities and an SMTP
// server: the join form applies, the review asks the organisers by email, the organiser follows the signed
// Approve link (a page that decides nothing) and presses the button, and onboarding welcomes the member.

import { beforeAll, describe, expect, it } from 'vitest';
import type { playbookRun } from '../../workflows/playbookRun.js';
import { PUBLIC_URL, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack({ realRuns: true });
const api = useApi(stack);

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
});

/** The signed link behind a button in an email, as a path on this API. */
function linkIn(html: string | undefined, action: string): string {
  const href = new RegExp(`href="${PUBLIC_URL}(/l/${action}\\?t(?:=|&#x3D;)[^"]+)"`).exec(html ?? '')?.[1];
  if (href === undefined) throw new Error(`no ${action} link in the email`);
  return href.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
}

describe('join form -> review by email -> approve link -> welcome', () => {
  it('takes a member from the form to the welcome email', async () => {
    const submitted = await api.app.inject({
      method: 'POST',
      url: '/v1/forms/join',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=pat%40example.org&name=Pat&interests=trail',
    });
    expect(submitted.statusCode).toBe(303);

    const [first, second] = await stack.mailbox.waitForMessages(2, 60_000);
    const review = [first, second].find((message) =>
      message?.envelope.to.includes('organisers@riverside.example'),
    );
    expect(review?.subject).toBe('New join request: Pat');
    const approve = linkIn(review?.html, 'approve');

    const page = await api.app.inject({ method: 'GET', url: approve });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Approve Pat (pat@example.org)?');
    const applied = await stack.models.members.findOne({ email: 'pat@example.org' }).lean().exec();
    expect(applied?.status).toBe('applied');

    const decided = await api.app.inject({
      method: 'POST',
      url: approve,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.body).toContain('Pat is approved.');

    const messages = await stack.mailbox.waitForMessages(3, 60_000);
    const welcome = messages.find((message) => message.subject === 'Welcome to Riverside Running Club');
    expect(welcome?.envelope.to).toEqual(['pat@example.org']);
    const member = await stack.models.members.findOne({ email: 'pat@example.org' }).lean().exec();
    expect(member?.status).toBe('active');
    // The review ended on the approval: it sends no reminder, and its run is closed.
    const reviewResult = await stack.client.workflow
      .getHandle<typeof playbookRun>(`run:application-review:${member?._id}`)
      .result();
    expect(reviewResult).toMatchObject({ kind: 'exited' });
  });
});

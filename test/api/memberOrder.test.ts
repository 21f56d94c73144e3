// "An accepted event can vanish" (issue #9): events about one member take effect in the order they were
// accepted, across requests and ingestions, and an event about a member who does not exist yet waits for the
// member instead of being dropped. As a platform does it: twenty join forms, then, a moment later and before
// the forms' events have been processed, twenty approvals by email.

import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../acceptance/support/eventually.js';
import { API_KEY, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
});

const MEMBERS = 20;
const run = Date.now().toString(36);
const emailOf = (index: number) => `joiner-${run}-${index}@example.org`;

function joinForm(index: number) {
  return api.app.inject({
    method: 'POST',
    url: '/v1/forms/join',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    payload: new URLSearchParams({ email: emailOf(index), name: `Joiner ${index}` }).toString(),
  });
}

function approve(body: object) {
  return api.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

describe('events about one member, in the order they were accepted', () => {
  it('twenty join forms then twenty approvals by email: every member is approved and gets onboarding', async () => {
    const indexes = Array.from({ length: MEMBERS }, (_, index) => index);
    const forms = await Promise.all(indexes.map(joinForm));
    expect(forms.map((form) => form.statusCode)).toEqual(indexes.map(() => 202));
    const approvals = await Promise.all(
      indexes.map((index) =>
        approve({ type: 'member.approved', id: `approve-${run}-${index}`, email: emailOf(index) }),
      ),
    );
    expect(approvals.map((approval) => approval.statusCode)).toEqual(indexes.map(() => 202));

    const onboarded = await eventually(
      'every member active with an onboarding run',
      async () => {
        const members = await stack.models.members
          .find({ email: { $in: indexes.map(emailOf) } }, { status: 1 })
          .lean()
          .exec();
        const active = members.filter((member) => member.status === 'active');
        if (active.length < MEMBERS) return undefined;
        const runs = await stack.models.runs
          .find({ playbook: 'onboarding', memberId: { $in: active.map((member) => member._id) } })
          .lean()
          .exec();
        return runs.length === MEMBERS ? runs : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(new Set(onboarded.map((record) => record.memberId)).size).toBe(MEMBERS);
  });
});

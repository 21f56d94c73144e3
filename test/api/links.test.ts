// The pages behind signed links on the real stack: a GET never acts, the button's POST does, through the
// same event path as everything else; bad and expired links get a clear page and no action.

import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  await stack.models.members.create([
    { _id: 'm-jo', email: 'jo@example.org', name: 'Jo', status: 'active' },
    { _id: 'm-kim', email: 'kim@example.org', name: 'Kim', status: 'active' },
    { _id: 'm-lou', email: 'lou@example.org', name: 'Lou <script>alert(1)</script>', status: 'applied' },
    { _id: 'm-max', email: 'max@example.org', name: 'Max', status: 'applied' },
  ]);
  await stack.models.events.create({ _id: 'ev-5k', title: 'Riverside 5k', status: 'ended' });
});

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const get = (url: string) => api.app.inject({ method: 'GET', url });
const post = (url: string, payload = '', headers: Record<string, string> = form) =>
  api.app.inject({ method: 'POST', url, headers, payload });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('never happened');
}
const member = (id: string) => stack.models.members.findById(id).lean().exec();

describe('unsubscribe', () => {
  it('shows a page with a button on GET, and changes nothing', async () => {
    const before = await stack.models.eventLog.countDocuments().exec();
    const page = await get(api.linkPath({ a: 'unsubscribe', m: 'm-jo', c: 'surveys' }));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Stop sending jo@example.org surveys?');
    expect(page.body).toContain('<form method="post"');
    expect(await stack.models.eventLog.countDocuments().exec()).toBe(before);
    expect((await member('m-jo'))?.unsubscribed ?? []).toEqual([]);
  });

  it('unsubscribes on the RFC 8058 one-click POST', async () => {
    const answer = await post(
      api.linkPath({ a: 'unsubscribe', m: 'm-jo', c: 'surveys' }),
      'List-Unsubscribe=One-Click',
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('Done: no more surveys.');
    const jo = await until(
      () => member('m-jo'),
      (found) => (found?.unsubscribed ?? []).length > 0,
    );
    expect(jo?.unsubscribed).toEqual(['surveys']);
  });

  it('takes the one-click POST as multipart too, and a link without a category leaves every category', async () => {
    const boundary = 'tendboundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const answer = await post(api.linkPath({ a: 'unsubscribe', m: 'm-kim' }), body, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(answer.statusCode).toBe(200);
    const kim = await until(
      () => member('m-kim'),
      (found) => (found?.unsubscribed ?? []).length === 3,
    );
    expect([...(kim?.unsubscribed ?? [])].sort()).toEqual(['community', 'events', 'surveys']);
  });
});

describe('preferences', () => {
  it('shows a checkbox per category, transactional always on', async () => {
    const page = await get(api.linkPath({ a: 'preferences', m: 'm-jo' }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="transactional" checked disabled');
    expect(page.body).toContain('value="events" checked>');
    expect(page.body).toMatch(/value="surveys">/);
  });

  it('saves the choice, unsubscribing and subscribing again', async () => {
    const url = api.linkPath({ a: 'preferences', m: 'm-jo' });
    const saved = await post(url, 'categories=events');
    expect(saved.statusCode).toBe(200);
    expect((await member('m-jo'))?.unsubscribed).toEqual(['community', 'surveys']);
    await post(url, 'categories=events&categories=community&categories=surveys');
    expect((await member('m-jo'))?.unsubscribed).toEqual([]);
    // Nothing of the first save lands later and undoes the second.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await member('m-jo'))?.unsubscribed).toEqual([]);
  });
});

describe('survey', () => {
  it('shows the score pre-selected on GET, and records nothing', async () => {
    const page = await get(api.linkPath({ a: 'survey', m: 'm-jo', e: 'ev-5k', s: 9 }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('How likely are you to recommend Riverside 5k to a friend?');
    expect(page.body).toContain('value="9" checked>');
    expect(await stack.models.surveyResponses.countDocuments({ memberId: 'm-jo' }).exec()).toBe(0);
  });

  it('records the answer on POST, emits survey.responded, and a second answer changes it', async () => {
    const url = api.linkPath({ a: 'survey', m: 'm-jo', e: 'ev-5k', s: 9 });
    const thanks = await post(url);
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('we recorded 9 out of 10');
    expect(thanks.body).toContain('<textarea');
    const read = () =>
      stack.models.surveyResponses.findOne({ memberId: 'm-jo', eventId: 'ev-5k' }).lean().exec();
    expect(await until(read, (found) => found?.score === 9)).toMatchObject({ score: 9 });
    expect(await stack.models.eventLog.countDocuments({ type: 'survey.responded' }).exec()).toBe(1);

    const changed = await post(url, 'score=6&comment=Too+wet');
    expect(changed.body).toContain('we recorded 6 out of 10');
    expect(changed.body).not.toContain('<textarea');
    expect(await until(read, (found) => found?.score === 6)).toMatchObject({ score: 6, comment: 'Too wet' });
    expect(await stack.models.surveyResponses.countDocuments({ memberId: 'm-jo' }).exec()).toBe(1);
  });
});

describe('approve and decline', () => {
  it('shows one button on GET, escaping what it shows, and decides nothing', async () => {
    const page = await get(api.linkPath({ a: 'approve', m: 'm-lou' }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Lou &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
    expect(page.body.match(/<button/g)).toHaveLength(1);
    expect((await member('m-lou'))?.status).toBe('applied');
  });

  it('approves on POST, as member.approved would: the member is active and onboarding starts', async () => {
    const answer = await post(api.linkPath({ a: 'approve', m: 'm-lou' }));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('is approved');
    expect(
      await until(
        () => member('m-lou'),
        (found) => found?.status === 'active',
      ),
    ).toBeTruthy();
    const run = await until(
      () => stack.models.runs.findOne({ memberId: 'm-lou', playbook: 'onboarding' }).lean().exec(),
      (found) => found !== null,
    );
    expect(run?.workflowId).toBe('run:onboarding:m-lou');
  });

  it('declines on POST', async () => {
    await post(api.linkPath({ a: 'decline', m: 'm-max' }));
    expect(
      await until(
        () => member('m-max'),
        (found) => found?.status === 'declined',
      ),
    ).toBeTruthy();
  });
});

describe('bad links', () => {
  it('refuses a tampered, an expired, and a misdirected link with a clear page, and acts on none', async () => {
    const before = await stack.models.eventLog.countDocuments().exec();
    const good = api.linkPath({ a: 'approve', m: 'm-max' });
    const tampered = good.replace(/t=(.)/, (_, first: string) => `t=${first === 'A' ? 'B' : 'A'}`);
    const expired = api.linkPath({ a: 'approve', m: 'm-max', x: Math.floor(Date.now() / 1000) - 60 });
    const misdirected = api.linkPath({ a: 'approve', m: 'm-max' }).replace('/l/approve', '/l/decline');
    const cases: [string, string][] = [
      [tampered, 'this link is not valid'],
      [expired, 'this link has expired'],
      [misdirected, 'this link is for another page'],
    ];
    for (const [url, message] of cases) {
      for (const answer of [await get(url), await post(url)]) {
        expect(answer.statusCode).toBe(403);
        expect(answer.headers['content-type']).toMatch(/^text\/html/);
        expect(answer.body).toContain(message);
        expect(answer.body).toContain('Riverside Running Club');
      }
    }
    expect(await stack.models.eventLog.countDocuments().exec()).toBe(before);
  });
});

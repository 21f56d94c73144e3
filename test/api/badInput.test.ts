// A corpus of bad requests, generated from tables: malformed JSON, wrong types, oversize bodies and arrays,
// `$`-operators and prototype keys, missing, wrong, expired and replayed signatures, forged link tokens,
// unknown forms and webhooks, wrong content types, missing and wrong API keys. Every one must get a 4xx
// with a message, the server must stay up, and MongoDB and Temporal must be exactly as they were.

import type { InjectOptions } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkSigner, expiresIn, type LinkAction } from '../../domain/links/signedLinks.js';
import { API_KEY, PUBLIC_URL, TALLY_SECRET, useApi } from './support/app.js';
import { putPlansInService, shippedPlans, useStack } from './support/stack.js';

const stack = useStack();
const api = useApi(stack);

interface Case {
  name: string;
  request: InjectOptions;
  status: number;
}

const json = { 'content-type': 'application/json' };
const keyed = { ...json, authorization: `Bearer ${API_KEY}` };
const wantJson = { accept: 'application/json' };

// ---- POST /v1/events ------------------------------------------------------------------------------------

const postEvents = (payload: string | Buffer, headers: Record<string, string> = keyed): InjectOptions => ({
  method: 'POST',
  url: '/v1/events',
  headers,
  payload,
});
const event = (fields: Record<string, unknown>) =>
  JSON.stringify({ type: 'member.active', memberId: 'm-1', ...fields });

const authHeaders: [string, Record<string, string>][] = [
  ['no Authorization header', json],
  ['a wrong key', { ...json, authorization: 'Bearer not-a-key' }],
  ['Basic instead of Bearer', { ...json, authorization: `Basic ${API_KEY}` }],
  ['Bearer without a key', { ...json, authorization: 'Bearer' }],
  ['Bearer with two words', { ...json, authorization: `Bearer ${API_KEY} extra` }],
  ['lowercase bearer', { ...json, authorization: `bearer ${API_KEY}` }],
  ['the key with a trailing character', { ...json, authorization: `Bearer ${API_KEY}x` }],
  ['the key cut short', { ...json, authorization: `Bearer ${API_KEY.slice(0, -1)}` }],
  ['an empty key list entry', { ...json, authorization: 'Bearer ,' }],
  ['a 600-character key', { ...json, authorization: `Bearer ${'k'.repeat(600)}` }],
];
const authCases: Case[] = authHeaders.map(([name, headers]) => ({
  name: `events: ${name}`,
  request: postEvents(event({}), headers),
  status: 401,
}));

const contentTypeCases: Case[] = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'image/png',
].map((type) => ({
  name: `events: Content-Type ${type}`,
  request: postEvents(event({}), { ...keyed, 'content-type': type }),
  status: 415,
}));

const malformedJson: Case[] = [
  '{',
  '{"type":}',
  '[1,2',
  'nul',
  "{'type':'member.active'}",
  '{"type":"member.active",}',
  '{"type":"member.active"}}',
  '"just a string',
  '{"type":"a\u0000"',
  '\u00ef\u00bb\u00bf{"type":"member.active"}',
  '{"type":"member.active","data":{"a":NaN}}',
  '{"type":"member.active","data":{"a":Infinity}}',
].map((payload, index) => ({
  name: `events: malformed JSON #${index}`,
  request: postEvents(payload),
  status: 400,
}));

const wrongShapes: Case[] = [
  ['an empty body', ''],
  ['a number', '42'],
  ['a string', '"member.active"'],
  ['null', 'null'],
  ['true', 'true'],
  ['an empty array', '[]'],
  ['an array of numbers', '[1, 2]'],
  ['an unknown field', event({ foo: 1 })],
  ['an array with one bad event', JSON.stringify([{ type: 'ok.event' }, { type: 'ok.event', extra: true }])],
].map(([name, payload]) => ({
  name: `events: ${String(name)}`,
  request: postEvents(String(payload)),
  status: 400,
}));

const wrongValues: Record<string, unknown[]> = {
  type: [
    1,
    null,
    [],
    {},
    true,
    '',
    'Member.Active',
    'member..active',
    'member.',
    '.member',
    'a b',
    'x'.repeat(101),
    '$where',
  ],
  id: [1, null, '', 'has space', 'x'.repeat(201), { $gt: '' }, ['a'], '-leading-dash', 'a/b', 'ünïcode'],
  memberId: [1, true, '', { $ne: null }, 'x'.repeat(201), 'a"b', ['m-1']],
  email: [1, 'not-an-email', 'a@', '@b.example', { $regex: '.*' }, `${'a'.repeat(250)}@b.example`],
  eventId: [7, '', { $exists: true }, 'has space'],
  occurredAt: ['yesterday', 1, '2025-13-01T00:00:00Z', '2025-06-01', { $gt: 0 }],
  data: ['text', 1, [], null, true],
};
const wrongValueCases: Case[] = Object.entries(wrongValues).flatMap(([field, values]) =>
  values.map((value, index) => ({
    name: `events: ${field} = ${JSON.stringify(value).slice(0, 30)} (#${index})`,
    request: postEvents(event({ [field]: value })),
    status: 400,
  })),
);

const operatorPayloads: string[] = [
  event({ data: { $set: { status: 'banned' } } }),
  event({ data: { profile: { $where: 'sleep(1000)' } } }),
  event({ data: { list: [{ $gt: 1 }] } }),
  event({ data: { 'a.b': 1 } }),
  event({ data: { nested: { 'status.x': 1 } } }),
  event({ data: { prototype: {} } }),
  event({ data: { constructor: 1 } }),
  event({ data: { deep: { deeper: { constructor: 'x' } } } }),
  '{"type":"member.active","memberId":"m-1","__proto__":{"polluted":true}}',
  '{"type":"member.active","memberId":"m-1","data":{"__proto__":{"polluted":true}}}',
  '{"type":"member.active","memberId":"m-1","data":{"a":{"__proto__":{"polluted":true}}}}',
  '{"type":"member.active","memberId":"m-1","data":{"constructor":{"prototype":{"polluted":true}}}}',
  '[{"type":"member.active","memberId":"m-1","data":{"x":{"constructor":{"prototype":{"p":1}}}}}]',
  event({ data: { '': 1 } }),
  event({ data: { $: 1 } }),
];
const operatorCases: Case[] = operatorPayloads.map((payload, index) => ({
  name: `events: operator or prototype key #${index}`,
  request: postEvents(payload),
  status: 400,
}));

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { level: nested(depth - 1) });
const oversizeCases: Case[] = [
  {
    name: 'events: a body over 1 MiB',
    request: postEvents(event({ data: { blob: 'x'.repeat(1_100_000) } })),
    status: 413,
  },
  {
    name: 'events: 1,001 events',
    request: postEvents(JSON.stringify(Array.from({ length: 1001 }, () => ({ type: 'ok.event' })))),
    status: 400,
  },
  {
    name: 'events: data with 101 fields',
    request: postEvents(
      event({ data: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])) }),
    ),
    status: 400,
  },
  {
    name: 'events: data nested 20 levels',
    request: postEvents(event({ data: nested(20) })),
    status: 400,
  },
  {
    name: 'events: data nested 100,000 levels',
    request: postEvents(`{"type":"ok.event","data":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`),
    status: 400,
  },
];

const knownTypeCases: Case[] = [
  { type: 'rsvp.created', memberId: 'm-1' },
  { type: 'rsvp.created', eventId: 'ev-1' },
  { type: 'rsvp.updated', memberId: 'm-1', eventId: 'ev-1', data: { status: 'perhaps' } },
  { type: 'rsvp.updated', memberId: 'm-1', eventId: 'ev-1', data: { attended: 'yes' } },
  { type: 'survey.responded', memberId: 'm-1', eventId: 'ev-1', data: { score: 11 } },
  { type: 'survey.responded', memberId: 'm-1', eventId: 'ev-1', data: { score: 4.5 } },
  { type: 'survey.responded', memberId: 'm-1', eventId: 'ev-1' },
  { type: 'email.unsubscribed', memberId: 'm-1', data: { category: 'transactional' } },
  { type: 'member.applied', memberId: 'm-1' },
  { type: 'member.approved' },
  { type: 'member.applied', email: 'x@example.org', data: { interests: 'running' } },
  { type: 'member.applied', email: 'x@example.org', data: { timezone: 'Mars/Olympus' } },
  { type: 'event.updated', eventId: 'ev-1', data: { startsAt: '2025-02-30T10:00:00Z' } },
  { type: 'event.updated', eventId: 'ev-1', data: { status: 'postponed' } },
  { type: 'event.updated', data: { title: 'No event id' } },
  { type: 'event.cancelled' },
].map((body, index) => ({
  name: `events: known type without what it needs #${index} (${body.type})`,
  request: postEvents(JSON.stringify(body)),
  status: 422,
}));

const REUSED_ID = 'corpus-accepted-event';
const idempotencyCases: Case[] = [
  {
    name: 'events: Idempotency-Key with an array',
    request: postEvents('[{"type":"ok.event"}]', { ...keyed, 'idempotency-key': 'k-1' }),
    status: 400,
  },
  {
    name: 'events: Idempotency-Key differs from body.id',
    request: postEvents('{"type":"ok.event","id":"a"}', { ...keyed, 'idempotency-key': 'b' }),
    status: 400,
  },
  {
    name: 'events: an Idempotency-Key that is not an id',
    request: postEvents('{"type":"ok.event"}', { ...keyed, 'idempotency-key': 'not an id!' }),
    status: 400,
  },
  {
    name: 'events: the same id twice in one array',
    request: postEvents('[{"type":"ok.event","id":"twice"},{"type":"ok.event","id":"twice"}]'),
    status: 400,
  },
  {
    name: 'events: an accepted id reused with another body',
    request: postEvents(JSON.stringify({ type: 'ok.event', id: REUSED_ID, data: { changed: true } })),
    status: 422,
  },
  {
    name: 'events: an accepted id reused with another body, by header',
    request: postEvents('{"type":"other.event"}', { ...keyed, 'idempotency-key': REUSED_ID }),
    status: 422,
  },
];

// ---- forms ------------------------------------------------------------------------------------------------

const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };
const postForm = (
  name: string,
  payload: string,
  headers: Record<string, string> = urlencoded,
): InjectOptions => ({
  method: 'POST',
  url: `/v1/forms/${name}`,
  headers,
  payload,
});
const formCases: Case[] = [
  ...['signup', 'constructor', 'hasownproperty', 'tostring', 'join-us'].map((name) => ({
    name: `forms: unknown form ${name}`,
    request: postForm(name, 'email=a%40b.example'),
    status: 404,
  })),
  ...['JOIN', 'join_', '-join', `${'j'.repeat(64)}`, '%24where', '..%2Fetc'].map((name) => ({
    name: `forms: a name that is not a name: ${name}`,
    request: postForm(name, 'email=a%40b.example', { ...urlencoded, ...wantJson }),
    status: 400,
  })),
  ...['text/plain', 'application/xml', 'multipart/form-data; boundary=x'].map((type) => ({
    name: `forms: Content-Type ${type}`,
    request: postForm('join', 'email=a%40b.example', { 'content-type': type }),
    status: 415,
  })),
  ...[
    ['a body over 16 KiB', `email=a%40b.example&name=${'n'.repeat(17_000)}`, 413],
    ['a field the form does not take', 'email=a%40b.example&phone=1', 400],
    ['an invalid email', 'email=not-an-email', 400],
    ['a field named $where', 'email=a%40b.example&%24where=1', 400],
    ['a field named __proto__', 'email=a%40b.example&__proto__=1', 400],
    ['51 fields', Array.from({ length: 51 }, (_, i) => `f${i}=1`).join('&'), 400],
    ['a value over 5,000 characters', `email=a%40b.example&name=${'n'.repeat(5001)}`, 400],
    ['a repeated field 51 times', Array.from({ length: 51 }, () => 'interests=x').join('&'), 400],
    ['no email for member.applied', 'name=Nobody', 422],
    ['an empty email', 'email=&name=Nobody', 422],
  ].map(([name, payload, status]) => ({
    name: `forms: ${String(name)}`,
    request: postForm('join', String(payload)),
    status: Number(status),
  })),
  ...[
    ['malformed JSON', '{"email":'],
    ['a JSON number as a field', '{"email":1}'],
    ['a JSON object as a field', '{"email":{"$gt":""}}'],
    ['a JSON array', '[]'],
  ].map(([name, payload]) => ({
    name: `forms: ${String(name)}`,
    request: postForm('join', String(payload), { ...json, ...wantJson }),
    status: 400,
  })),
];

// ---- webhooks ---------------------------------------------------------------------------------------------

const tally = JSON.stringify({
  data: { respondent: { email: 'a@b.example' }, hidden: { event_id: 'ev-1' }, answers: { nps: 9 } },
});
const sign = (payload: string, options: { id?: string; at?: Date; secret?: string } = {}) => {
  const id = options.id ?? `msg_corpus_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? TALLY_SECRET).sign(id, at, payload),
  };
};
const postWebhook = (name: string, payload: string, headers: Record<string, string>): InjectOptions => ({
  method: 'POST',
  url: `/v1/webhooks/${name}`,
  headers: { ...json, ...headers },
  payload,
});
const otherSecret = `whsec_${Buffer.from('not the secret at all').toString('base64')}`;
const withoutHeader = (name: string) =>
  Object.fromEntries(Object.entries(sign(tally)).filter(([header]) => header !== name));
const replayed = sign(tally, { at: new Date(Date.now() - 10 * 60_000) });
const webhookCases: Case[] = [
  ...['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((header) => ({
    name: `webhooks: missing ${header}`,
    request: postWebhook('tally', tally, withoutHeader(header)),
    status: 401,
  })),
  ...(
    [
      ['no signature headers at all', {}],
      ['a timestamp 6 minutes old', sign(tally, { at: new Date(Date.now() - 6 * 60_000) })],
      ['a timestamp 6 minutes ahead', sign(tally, { at: new Date(Date.now() + 6 * 60_000) })],
      ['a replayed old delivery', replayed],
      ['the wrong secret', sign(tally, { secret: otherSecret })],
      ['a signature of another body', sign('{"data":{}}')],
      ['a signature for another message id', { ...sign(tally), 'webhook-id': 'msg_other' }],
      [
        'a v2 signature only',
        { ...sign(tally), 'webhook-signature': `v2,${sign(tally)['webhook-signature'].slice(3)}` },
      ],
      ['a garbled signature', { ...sign(tally), 'webhook-signature': 'v1,garbage' }],
      ['an empty signature', { ...sign(tally), 'webhook-signature': '' }],
    ] satisfies [string, Record<string, string>][]
  ).map(([name, headers]) => ({
    name: `webhooks: ${name}`,
    request: postWebhook('tally', tally, headers),
    status: 401,
  })),
  {
    name: 'webhooks: a signed body changed after signing',
    request: postWebhook('tally', tally.replace('9', '0'), sign(tally)),
    status: 401,
  },
  {
    name: 'webhooks: a non-numeric timestamp',
    request: postWebhook('tally', tally, { ...sign(tally), 'webhook-timestamp': 'now' }),
    status: 400,
  },
  {
    name: 'webhooks: a webhook-id with spaces',
    request: postWebhook('tally', tally, { ...sign(tally), 'webhook-id': 'msg with spaces' }),
    status: 400,
  },
  ...['typeform', 'constructor', 'tally-old'].map((name) => ({
    name: `webhooks: unknown webhook ${name}`,
    request: postWebhook(name, tally, sign(tally)),
    status: 404,
  })),
  ...['text/plain', 'application/x-www-form-urlencoded', 'application/xml'].map((type) => ({
    name: `webhooks: Content-Type ${type}`,
    request: postWebhook('tally', tally, { ...sign(tally), 'content-type': type }),
    status: 415,
  })),
  ...(() => {
    const big = JSON.stringify({ data: { blob: 'x'.repeat(300_000) } });
    return [
      { name: 'webhooks: a body over 256 KiB', request: postWebhook('tally', big, sign(big)), status: 413 },
    ];
  })(),
  ...[
    ['signed malformed JSON', '{"data":', 400],
    [
      'a signed score that is text',
      '{"data":{"respondent":{"email":"a@b.example"},"hidden":{"event_id":"e"},"answers":{"nps":"nine"}}}',
      422,
    ],
    [
      'a signed score that is an operator',
      '{"data":{"respondent":{"email":"a@b.example"},"hidden":{"event_id":"e"},"answers":{"nps":{"$gt":1}}}}',
      400,
    ],
    [
      'a signed score with a prototype key',
      '{"data":{"respondent":{"email":"a@b.example"},"hidden":{"event_id":"e"},"answers":{"nps":{"__proto__":{"x":1}}}}}',
      400,
    ],
    [
      'a signed email that is an object',
      '{"data":{"respondent":{"email":{"$ne":null}},"hidden":{"event_id":"e"},"answers":{"nps":1}}}',
      422,
    ],
    [
      'a signed event id that is not an id',
      '{"data":{"respondent":{"email":"a@b.example"},"hidden":{"event_id":"a b"},"answers":{"nps":1}}}',
      400,
    ],
    [
      'a signed payload without the event id',
      '{"data":{"respondent":{"email":"a@b.example"},"answers":{"nps":1}}}',
      422,
    ],
    ['a signed payload without anyone', '{"data":{"hidden":{"event_id":"e"},"answers":{"nps":1}}}', 422],
  ].map(([name, payload, status]) => ({
    name: `webhooks: ${String(name)}`,
    request: postWebhook('tally', String(payload), sign(String(payload))),
    status: Number(status),
  })),
];

// ---- signed links -----------------------------------------------------------------------------------------

const strangerSigner = createLinkSigner({ secret: 'a-secret-that-is-not-tend-s', publicUrl: PUBLIC_URL });
const LINK_ACTIONS: LinkAction[] = ['unsubscribe', 'preferences', 'survey', 'approve', 'decline'];
const forgeries = (action: LinkAction): [string, string, number][] => {
  const payload = { a: action, m: 'm-1', e: 'ev-1', s: 5, x: expiresIn(action, Date.now()) };
  const good = api.links.sign(payload);
  const [body = '', signature = ''] = good.split('.');
  const other: LinkAction = action === 'approve' ? 'decline' : 'approve';
  return [
    ['another secret', strangerSigner.sign(payload), 403],
    [
      'a changed payload',
      `${Buffer.from(JSON.stringify({ ...payload, m: 'm-2' })).toString('base64url')}.${signature}`,
      403,
    ],
    ['a cut signature', `${body}.${signature.slice(0, 10)}`, 403],
    ['an expired token', api.links.sign({ ...payload, x: Math.floor(Date.now() / 1000) - 1 }), 403],
    ['a token for another page', api.links.sign({ ...payload, a: other }), 403],
    ['a random token', 'abc.def', 403],
    ['no signature', body, 400],
    ['characters no token has', `${body}.${signature}<script>`, 400],
  ];
};
const linkCases: Case[] = LINK_ACTIONS.flatMap((action) =>
  forgeries(action).flatMap(([name, token, status]) =>
    (['GET', 'POST'] as const).map((method) => ({
      name: `links: ${method} /l/${action} with ${name}`,
      request: {
        method,
        url: `/l/${action}?t=${encodeURIComponent(token)}`,
        ...(method === 'POST' ? { headers: urlencoded, payload: '' } : {}),
      },
      status,
    })),
  ),
);
const validLink = (action: LinkAction, extra: object = {}) =>
  `/l/${action}?t=${api.links.sign({ a: action, m: 'm-1', x: expiresIn(action, Date.now()), ...extra })}`;
const linkShapeCases: Case[] = [
  { name: 'links: no token', request: { method: 'GET', url: '/l/approve' }, status: 400 },
  {
    name: 'links: an extra query parameter',
    request: { method: 'GET', url: `${validLink('approve')}&x=1` },
    status: 400,
  },
  { name: 'links: an unknown link page', request: { method: 'GET', url: `/l/delete?t=a.b` }, status: 404 },
  {
    name: 'links: a survey link without an event',
    request: { method: 'GET', url: validLink('survey', { s: 5 }) },
    status: 400,
  },
  {
    name: 'links: a survey score of 11',
    request: {
      method: 'POST',
      url: validLink('survey', { e: 'ev-1' }),
      headers: urlencoded,
      payload: 'score=11',
    },
    status: 400,
  },
  {
    name: 'links: a survey comment over 2,000 characters',
    request: {
      method: 'POST',
      url: validLink('survey', { e: 'ev-1', s: 5 }),
      headers: urlencoded,
      payload: `comment=${'c'.repeat(2001)}`,
    },
    status: 400,
  },
  {
    name: 'links: a preferences category that does not exist',
    request: {
      method: 'POST',
      url: validLink('preferences'),
      headers: urlencoded,
      payload: 'categories=spam',
    },
    status: 400,
  },
  {
    name: 'links: an unknown field on approve',
    request: { method: 'POST', url: validLink('approve'), headers: urlencoded, payload: 'force=1' },
    status: 400,
  },
  {
    name: 'links: preferences of a member that does not exist',
    request: { method: 'GET', url: validLink('preferences', { m: 'm-nobody' }) },
    status: 404,
  },
  {
    name: 'links: approving a member that does not exist',
    request: {
      method: 'POST',
      url: validLink('approve', { m: 'm-nobody' }),
      headers: urlencoded,
      payload: '',
    },
    status: 404,
  },
  {
    name: 'links: a plain-text POST',
    request: {
      method: 'POST',
      url: validLink('approve'),
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    },
    status: 415,
  },
  {
    name: 'links: multipart outside unsubscribe',
    request: {
      method: 'POST',
      url: validLink('approve'),
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--',
    },
    status: 415,
  },
  {
    name: 'links: one-click with another value',
    request: {
      method: 'POST',
      url: validLink('unsubscribe'),
      headers: urlencoded,
      payload: 'List-Unsubscribe=Yes',
    },
    status: 400,
  },
];

// ---- runs, playbooks, unknown routes ----------------------------------------------------------------------

const authed = { authorization: `Bearer ${API_KEY}` };
const readCases: Case[] = [
  { name: 'runs: no key', request: { method: 'GET', url: '/v1/runs' }, status: 401 },
  { name: 'playbooks: no key', request: { method: 'GET', url: '/v1/playbooks' }, status: 401 },
  { name: 'run: no key', request: { method: 'GET', url: '/v1/runs/run:onboarding:m-1' }, status: 401 },
  {
    name: 'cancel: no key',
    request: { method: 'POST', url: '/v1/runs/run:onboarding:m-1/cancel' },
    status: 401,
  },
  ...[
    'limit=0',
    'limit=101',
    'limit=ten',
    'before=zzz',
    'status=asleep',
    'playbook=Onboarding',
    'memberId=a%20b',
    'sort=asc',
  ].map((query) => ({
    name: `runs: ?${query}`,
    request: { method: 'GET' as const, url: `/v1/runs?${query}`, headers: authed },
    status: 400,
  })),
  ...[
    'onboarding:m-1',
    'run:Onboarding:m-1',
    'run:onboarding:',
    'fanout:feedback:ev-1',
    'run:onboarding:a%20b',
  ].map((id) => ({
    name: `run: id ${id}`,
    request: { method: 'GET' as const, url: `/v1/runs/${id}`, headers: authed },
    status: 400,
  })),
  {
    name: 'run: unknown run',
    request: { method: 'GET', url: '/v1/runs/run:onboarding:nobody', headers: authed },
    status: 404,
  },
  {
    name: 'cancel: unknown run',
    request: { method: 'POST', url: '/v1/runs/run:onboarding:nobody/cancel', headers: authed },
    status: 404,
  },
  ...(
    [
      ['GET', '/v1/events'],
      ['PUT', '/v1/events'],
      ['DELETE', '/v1/runs/run:onboarding:m-1'],
      ['GET', '/v2/events'],
      ['GET', '/admin'],
      ['POST', '/v1/forms'],
      ['GET', '/l/'],
      ['GET', '/%2e%2e/%2e%2e/etc/passwd'],
    ] as const
  ).map(([method, url]) => ({
    name: `routes: ${method} ${url}`,
    request: { method, url, headers: authed },
    status: 404,
  })),
];

const corpus: Case[] = [
  ...authCases,
  ...contentTypeCases,
  ...malformedJson,
  ...wrongShapes,
  ...wrongValueCases,
  ...operatorCases,
  ...oversizeCases,
  ...knownTypeCases,
  ...idempotencyCases,
  ...formCases,
  ...webhookCases,
  ...linkCases,
  ...linkShapeCases,
  ...readCases,
];

// ---- the run ----------------------------------------------------------------------------------------------

interface Snapshot {
  counts: Record<string, number>;
  workflows: string[];
}

async function snapshot(): Promise<Snapshot> {
  // Every collection of the database, not only the ones a model names: a bad request must create none.
  const db = stack.models.members.db.db;
  if (db === undefined) throw new Error('not connected');
  const counts: Record<string, number> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    counts[name] = await db.collection(name).countDocuments();
  }
  const workflows: string[] = [];
  for await (const workflow of stack.client.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` })) {
    workflows.push(`${workflow.workflowId} ${workflow.status.name}`);
  }
  return { counts, workflows: workflows.sort() };
}

/** The message a 4xx carries: the JSON error's message, or the paragraph of the HTML page. */
function messageOf(headers: Record<string, unknown>, body: string): string {
  if (String(headers['content-type']).startsWith('text/html'))
    return /<main>.*?<p>(.*?)<\/p>/s.exec(body)?.[1] ?? '';
  const parsed: unknown = JSON.parse(body);
  const error = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? parsed.error : null;
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : '';
}

let before: Snapshot;
let results: { name: string; status: number; expected: number; message: string }[] = [];

beforeAll(async () => {
  await putPlansInService(stack.models, await shippedPlans());
  await stack.models.members.create({ _id: 'm-1', email: 'one@example.org', status: 'active' });
  // One accepted event, so that reusing its id is one of the bad requests.
  // It waits until routed (Prefer: wait), so that its ingestion has completed before the snapshot.
  const accepted = await api.app.inject(
    postEvents(JSON.stringify({ type: 'ok.event', id: REUSED_ID }), { ...keyed, prefer: 'wait=30' }),
  );
  expect(accepted.statusCode).toBe(202);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  before = await snapshot();
  results = [];
  for (const { name, request, status } of corpus) {
    const response = await api.app.inject(request);
    results.push({
      name,
      status: response.statusCode,
      expected: status,
      message: messageOf(response.headers, response.body),
    });
  }
});

afterAll(() => {
  results = [];
});

describe('a corpus of bad requests', () => {
  it('has more than 200 requests', () => {
    expect(corpus.length).toBeGreaterThan(200);
    expect(new Set(corpus.map((entry) => entry.name)).size).toBe(corpus.length);
  });

  it('answers every one with the expected 4xx and a message', () => {
    const wrong = results.filter((result) => result.status !== result.expected || result.message.length < 10);
    expect(wrong).toEqual([]);
    expect(results.every((result) => result.status >= 400 && result.status < 500)).toBe(true);
  });

  it('stays up', async () => {
    const health = await api.app.inject({ method: 'GET', url: '/readyz' });
    expect(health.statusCode).toBe(200);
  });

  it('leaves MongoDB and Temporal as they were', async () => {
    // Anything a bad request had started would have shown by now: ingestion takes milliseconds here.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The snapshot sees what there is: the one accepted event's ingestion is in it.
    expect(before.workflows).toContain(`events:single:${REUSED_ID} COMPLETED`);
    expect(before.counts.eventLog).toBe(1);
    expect(await snapshot()).toEqual(before);
  });
});

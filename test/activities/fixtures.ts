// Records, settings and requests for the activity suites: one small community, a run of one playbook, and
// emails whose text shows what the template saw (reader, peer, links).

import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import type { RoutedEvent } from '../../compiler/events.js';
import type { CommunitySettings, DeliverySettings, EmailTemplate } from '../../compiler/plan.js';
import type { MemberDoc } from '../../db/index.js';
import { createLinkSigner } from '../../domain/links/signedLinks.js';
import type { DeliverInput, EmailBundle, RunRef } from '../../contract/activityPayloads.js';
import type { DeliveryRequest } from '../../contract/runtime.js';

export const signer = createLinkSigner({
  secret: 'test-secret-0123456789abcdef',
  publicUrl: 'https://tend.test',
});

export const community: CommunitySettings = {
  name: 'Riverside Running Club',
  timezone: 'Europe/London',
  from: 'Riverside RC <hello@riverside.example>',
  replyTo: 'organisers@riverside.example',
  managers: ['org1@riverside.example', 'org2@riverside.example'],
  postalAddress: '1 Park Lane, London',
};

export const DAY = 24 * 3600 * 1000;

export const delivery: DeliverySettings = {
  quietHours: { start: '21:00', end: '08:00' },
  frequencyCap: { max: 3, perMs: 7 * DAY },
};

const layout = `<html><body>{{{body}}}<p class="footer">{{community.postal_address}}
{{#if links.unsubscribe}}<a href="{{links.unsubscribe}}">Unsubscribe</a>{{/if}}
{{#if links.approve}}<a href="{{links.approve}}">Approve</a> <a href="{{links.decline}}">Decline</a>{{/if}}</p></body></html>`;

const template = (name: string, subject: string, html: string): EmailTemplate => ({
  name,
  subject,
  preheader: null,
  html,
  layout: 'default',
});

export const emails = {
  hello: template(
    'hello',
    'Hello {{member.firstName}}',
    '<p>Hi {{member.firstName}}, welcome to {{community.name}}.</p>',
  ),
  intro: template(
    'intro',
    '{{member.firstName}}, meet {{peer.firstName}}',
    '<p>{{member.firstName}}, meet {{peer.firstName}} ({{peer.email}}).</p>',
  ),
  review: template('review', 'New application: {{member.name}}', '<p>{{member.name}} applied.</p>'),
  survey: template('survey', 'How was {{event.title}}?', '<p><a href="{{surveyUrl score=9}}">9</a></p>'),
};

export function bundle(email: EmailTemplate): EmailBundle {
  return { template: email, layouts: { default: layout }, partials: {} };
}

export function member(id: string, fields: Partial<MemberDoc> = {}): MemberDoc {
  return {
    _id: id,
    email: `${id}@example.org`,
    firstName: id.charAt(0).toUpperCase() + id.slice(1),
    name: `${id} Runner`,
    status: 'active',
    interests: [],
    tags: [],
    unsubscribed: [],
    ...fields,
  };
}

export function runOf(memberId: string, overrides: Partial<RunRef> = {}): RunRef {
  return {
    workflowId: `run:onboarding:${memberId}`,
    playbook: 'onboarding',
    version: 'v1',
    memberId,
    key: null,
    startedAt: Date.UTC(2026, 0, 1),
    ...overrides,
  };
}

export const trigger: RoutedEvent = {
  id: 'evt-1',
  type: 'member.approved',
  memberId: null,
  eventId: null,
  data: {},
  occurredAt: '2026-01-01T00:00:00.000Z',
};

export function request(overrides: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return {
    stepId: 'welcome',
    occurrence: 0,
    template: 'hello',
    to: { kind: 'member' },
    category: 'community',
    quietHours: true,
    notAfter: null,
    received: null,
    peerId: null,
    ...overrides,
  };
}

export function deliverInput(
  memberId: string,
  overrides: { request?: Partial<DeliveryRequest>; run?: Partial<RunRef>; email?: EmailTemplate } = {},
): DeliverInput {
  const email = overrides.email ?? emails.hello;
  return {
    run: runOf(memberId, overrides.run),
    request: request({ template: email.name, ...overrides.request }),
    email: bundle(email),
    community,
    delivery,
    trigger,
  };
}

/**
 * What createActivities needs to start runs, for tests that call none of the activities that do: the client
 * connects to the test servers' Temporal only when first used, so here never.
 */
export function temporalDeps(): { temporalClient: Client; taskQueue: string } {
  const connection = Connection.lazy({ address: inject('temporalAddress') });
  return { temporalClient: new Client({ connection }), taskQueue: 'activities-test' };
}

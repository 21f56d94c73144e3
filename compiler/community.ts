// community.yaml -> the settings every playbook of the folder shares, and the forms and webhooks the API serves.

import type { Static } from '@sinclair/typebox';
import { addressProblem } from './addresses.js';
import { MEMBER, resolveFields } from './context.js';
import type { Diagnostic } from './diagnostics.js';
import { didYouMean } from './didYouMean.js';
import { parseDuration } from './duration.js';
import { nearMissOfKnownType } from './eventTypes.js';
import type { CommunitySettings, DeliverySettings } from './plan.js';
import { CommunityDocument } from './schema/community.js';
import { schemaDiagnostics } from './schema/messages.js';
import { validator } from './schema/validator.js';
import { COMMUNITY_FILE } from './sources.js';
import type { SourceFile } from './sources.js';
import { timezoneProblem } from './timezones.js';
import { diagnosticAt, parseYaml } from './yaml/yamlFile.js';
import type { YamlFile, YamlPath } from './yaml/yamlFile.js';

export interface FormConfig {
  event: string;
  /** form field -> member field */
  member: Record<string, string>;
  redirect: string | null;
}

export interface WebhookConfig {
  /** The environment variable that holds the Standard Webhooks signing secret. */
  secretEnv: string;
  event: string;
  /** event field path -> source path in the payload */
  map: Record<string, string>;
}

export interface CommunityConfig {
  settings: CommunitySettings;
  delivery: DeliverySettings;
  forms: Record<string, FormConfig>;
  webhooks: Record<string, WebhookConfig>;
}

type CommunityDocument = Static<typeof CommunityDocument>;

const community = validator(CommunityDocument);
/** What a webhook may fill in an event: the fields the API reads (events.ts, TendEvent). */
const EVENT_FIELD = /^(id|email|memberId|eventId|occurredAt|data(\.[A-Za-z0-9_]+)+)$/;
const PAYLOAD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** Fields a form may not fill: identity, and what the engine or the member decides. */
const UNFILLABLE = new Set([
  '_id',
  'status',
  'unsubscribed',
  'emailStatus',
  'joinedAt',
  'approvedAt',
  'lastActiveAt',
]);

export function compileCommunity(
  source: SourceFile | null,
  root: string,
): { config: CommunityConfig | null; diagnostics: Diagnostic[] } {
  if (source === null) {
    const message = `${COMMUNITY_FILE} is missing: every playbooks folder needs one, with name, timezone, from and postal_address`;
    return {
      config: null,
      diagnostics: [{ file: `${root}/${COMMUNITY_FILE}`, line: 1, col: 1, message, severity: 'error' }],
    };
  }
  const parsed = parseYaml(source);
  if (!parsed.ok) return { config: null, diagnostics: parsed.diagnostics };
  const file = parsed.file;
  const value = file.value ?? {};
  if (!community.is(value))
    return { config: null, diagnostics: schemaDiagnostics(file, community.errors(value)) };
  const diagnostics = meaningProblems(file, value);
  return { config: diagnostics.some((d) => d.severity === 'error') ? null : toConfig(value), diagnostics };
}

function meaningProblems(file: YamlFile, doc: CommunityDocument): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const check = (
    path: YamlPath,
    problem: string | null,
    severity: Diagnostic['severity'] = 'error',
  ): void => {
    if (problem !== null) problems.push(diagnosticAt(file, path, problem, { severity }));
  };
  check(['timezone'], timezoneProblem(doc.timezone));
  check(['from'], addressProblem(doc.from));
  if (doc.reply_to !== undefined) check(['reply_to'], addressProblem(doc.reply_to));
  doc.managers?.forEach((manager, index) => check(['managers', index], addressProblem(manager)));
  const quiet = doc.delivery?.quiet_hours;
  if (quiet && quiet.start === quiet.end) {
    check(
      ['delivery', 'quiet_hours'],
      'quiet hours start and end at the same time: give them a length, like 21:00 to 08:00',
    );
  }
  const per = doc.delivery?.frequency_cap?.per;
  if (per !== undefined) {
    const parsed = parseDuration(per, { allowNegative: false });
    check(['delivery', 'frequency_cap', 'per'], parsed.ok ? null : parsed.message);
  }
  for (const [name, form] of Object.entries(doc.forms ?? {})) {
    const at = ['forms', name];
    check([...at, 'event'], nearMissOfKnownType(form.event), 'warning');
    for (const [formField, memberField] of Object.entries(form.member)) {
      check([...at, 'member', formField], memberFieldProblem(memberField));
    }
    if (!Object.values(form.member).includes('email')) {
      check(
        [...at, 'member'],
        "a form must fill the member's email: map one of its fields to email, like { email: email }",
      );
    }
    if (form.redirect !== undefined) check([...at, 'redirect'], urlProblem(form.redirect));
  }
  for (const [name, webhook] of Object.entries(doc.webhooks ?? {})) {
    const at = ['webhooks', name];
    check([...at, 'event'], nearMissOfKnownType(webhook.event), 'warning');
    for (const [eventField, payloadPath] of Object.entries(webhook.map)) {
      if (!EVENT_FIELD.test(eventField)) {
        const hint = didYouMean(eventField, ['email', 'memberId', 'eventId', 'id', 'occurredAt']);
        const message = `"${eventField}" is not an event field${hint}: map email, memberId, eventId, id, occurredAt or data.<field>`;
        problems.push(diagnosticAt(file, [...at, 'map', eventField], message, { target: 'key' }));
      }
      const bad =
        !PAYLOAD_PATH.test(payloadPath) || /(^|\.)(__proto__|constructor|prototype)(\.|$)/.test(payloadPath);
      check(
        [...at, 'map', eventField],
        bad ? `"${payloadPath}" is not a path in the payload, like data.respondent.email` : null,
      );
    }
  }
  return problems;
}

function memberFieldProblem(field: string): string | null {
  const [first = ''] = field.split('.');
  if (UNFILLABLE.has(first)) return `a form cannot fill ${first}`;
  const resolved = resolveFields(MEMBER, field.split('.'), field, '');
  return resolved.ok ? null : resolved.message;
}

function urlProblem(url: string): string | null {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:')) return null;
  return `"${url}" is not a web address: write one like https://example.org/thanks`;
}

function toConfig(doc: CommunityDocument): CommunityConfig {
  const cap = doc.delivery?.frequency_cap;
  const perMs = cap ? parseDuration(cap.per, { allowNegative: false }) : null;
  const quiet = doc.delivery?.quiet_hours;
  return {
    settings: {
      name: doc.name,
      timezone: doc.timezone,
      from: doc.from,
      replyTo: doc.reply_to ?? null,
      managers: doc.managers ?? [],
      postalAddress: doc.postal_address,
    },
    delivery: {
      quietHours: quiet ? { start: quiet.start, end: quiet.end } : null,
      frequencyCap: cap && perMs?.ok ? { max: cap.max, perMs: perMs.ms } : null,
      ...(doc.delivery?.track_clicks === false ? { trackClicks: false } : {}),
    },
    forms: Object.fromEntries(
      Object.entries(doc.forms ?? {}).map(([name, form]) => [
        name,
        { event: form.event, member: { ...form.member }, redirect: form.redirect ?? null },
      ]),
    ),
    webhooks: Object.fromEntries(
      Object.entries(doc.webhooks ?? {}).map(([name, hook]) => [
        name,
        { secretEnv: hook.secret_env, event: hook.event, map: { ...hook.map } },
      ]),
    ),
  };
}

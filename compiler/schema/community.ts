// community.yaml, as a schema: settings for the whole community, its public forms and its signed webhooks.

import { Type } from '@sinclair/typebox';
import { List, Pattern, Strict } from './builders.js';
import { EventType, FrequencyCap, NamedMap, QuietHours, TrackClicks } from './shared.js';

const Address = Type.String({ description: 'an email address' });
const Name = Pattern(/^[a-z][a-z0-9-]{0,62}$/, 'a name: lowercase letters, digits and -, like join');

const Form = Strict(
  {
    event: EventType,
    member: Type.Record(Type.String(), Type.String({ minLength: 1, description: 'a member field' }), {
      description: 'form field -> member field, like { email: email, name: name }',
    }),
    redirect: Type.Optional(
      Type.String({ description: 'the page to show after sending, like https://example.org/thanks' }),
    ),
  },
  { description: 'a public HTML form: POST /v1/forms/<name>' },
);

const Webhook = Strict(
  {
    secret_env: Pattern(
      /^[A-Z_][A-Z0-9_]*$/,
      'the name of an environment variable that holds the signing secret, like TALLY_WEBHOOK_SECRET',
    ),
    event: EventType,
    map: Type.Record(Type.String(), Type.String({ minLength: 1, description: 'a path in the payload' }), {
      description: 'event field -> path in the payload, like { email: data.respondent.email }',
    }),
  },
  { description: 'a signed third-party webhook: POST /v1/webhooks/<name>' },
);

export const CommunityDocument = Strict(
  {
    name: Type.String({ minLength: 1, description: "the community's name" }),
    timezone: Type.String({ description: 'a time zone like Europe/London, for members without one' }),
    from: Type.String({ description: 'the sender, like "Riverside RC <hello@riverside.example>"' }),
    reply_to: Type.Optional(Address),
    managers: Type.Optional(List(Address, 'the organisers who get emails sent to: manager')),
    postal_address: Type.String({
      minLength: 1,
      description: 'the postal address shown in every email footer',
    }),
    delivery: Type.Optional(
      Strict(
        {
          quiet_hours: Type.Optional(QuietHours),
          frequency_cap: Type.Optional(FrequencyCap),
          track_clicks: Type.Optional(TrackClicks),
        },
        { description: 'quiet hours, a frequency cap and click tracking for every playbook' },
      ),
    ),
    forms: Type.Optional(NamedMap(Name, Form, 'public forms, by name')),
    webhooks: Type.Optional(NamedMap(Name, Webhook, 'signed webhooks, by name')),
  },
  { title: 'community file', description: 'Settings for the whole community.' },
);

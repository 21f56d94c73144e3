// The three ways into Tend as the outside world uses them, over HTTP only: the platform's POST /v1/events with
// an API key, a public HTML form, and a Standard Webhooks-signed webhook.

import { Webhook } from 'standardwebhooks';

export interface TendClient {
  /** POST /v1/events with `Authorization: Bearer <key>` (the stack's key unless another is given). */
  events(body: unknown, key?: string): Promise<Response>;
  /** POST /v1/forms/<name>, urlencoded as a browser sends it; redirects are not followed. */
  form(name: string, fields: [string, string][]): Promise<Response>;
  /** POST /v1/webhooks/<name> with the payload signed by `secret` under `messageId`. */
  webhook(name: string, payload: unknown, options: { secret: string; messageId: string }): Promise<Response>;
}

export function tendClient(stack: { baseUrl: string; apiKey: string }): TendClient {
  return {
    events: (body, key = stack.apiKey) =>
      fetch(`${stack.baseUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    form: (name, fields) =>
      fetch(`${stack.baseUrl}/v1/forms/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      }),
    webhook: (name, payload, { secret, messageId }) => {
      const body = JSON.stringify(payload);
      const sentAt = new Date();
      return fetch(`${stack.baseUrl}/v1/webhooks/${name}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(messageId, sentAt, body),
        },
        body,
      });
    },
  };
}

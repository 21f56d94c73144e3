// The dev inbox page: every message the dev mailbox kept, as a list, one message's headers with its HTML
// (in a sandboxed iframe: no scripts, no same-origin access) and text bodies, and the same as JSON. Above
// them, the emails Tend is holding (quiet hours, the frequency cap), so a send at night is not a mystery.
// Everything from a message is escaped; the HTML body reaches the browser only as an iframe's srcdoc.
import Fastify, { type FastifyInstance } from 'fastify';
import type { HeldEmail, HeldEmails } from './heldEmails.js';
import type { Mailbox, ReceivedMessage } from './mailbox.js';

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

// Images in real mail load from anywhere; nothing else does, and no script runs, in the page or the message.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'";

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{font-weight:600}a{color:#0b5cad}iframe{width:100%;height:32rem;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
.muted{color:#777}`;

function page(title: string, body: string, refresh = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}<style>${STYLE}</style></head><body>${body}</body></html>`;
}

const REASONS: Record<HeldEmail['reason'], string> = {
  quiet_hours: "quiet hours (the reader's night)",
  frequency_cap: 'frequency cap (enough email this week)',
};

/** The held emails, or why they could not be read (null: the inbox runs without a database). */
type HeldList = { held: HeldEmail[] } | { error: string } | null;

function heldSection(list: HeldList): string {
  if (list === null) return '';
  if ('error' in list) {
    return `<h2>Held</h2><p class="muted">Held emails could not be read: ${escapeHtml(list.error)}</p>`;
  }
  if (list.held.length === 0) return '';
  const rows = list.held
    .map(
      (email) => `<tr><td>${escapeHtml(email.to.join(', '))}</td>
<td>${escapeHtml(email.subject ?? `(template ${email.template})`)}</td>
<td>${escapeHtml(email.until)}</td><td>${escapeHtml(REASONS[email.reason])}</td></tr>`,
    )
    .join('\n');
  return `<h2>Held (${list.held.length})</h2>
<p class="muted">Not sent yet: the delivery policy holds these, and each run sends its email when the time comes.</p>
<table><tr><th>to</th><th>subject</th><th>until</th><th>why</th></tr>${rows}</table><h2>Sent</h2>`;
}

function listPage(messages: ReceivedMessage[], held: HeldList): string {
  const rows = [...messages]
    .reverse()
    .map(
      (message) => `<tr><td class="muted">${escapeHtml(message.receivedAt)}</td>
<td>${escapeHtml(message.envelope.to.join(', '))}</td>
<td><a href="/messages/${encodeURIComponent(message.id)}">${escapeHtml(message.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  const table = messages.length
    ? `<table><tr><th>received</th><th>to</th><th>subject</th></tr>${rows}</table>`
    : '<p class="muted">No mail yet. Everything Tend sends in development lands here.</p>';
  return page(
    'Tend dev inbox',
    `<h1>Tend dev inbox</h1>${heldSection(held)}<p class="muted">${messages.length} message(s)</p>${table}`,
    true,
  );
}

function messagePage(message: ReceivedMessage): string {
  const headers = Object.entries(message.headers)
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const html =
    message.html === undefined
      ? '<p class="muted">No HTML part.</p>'
      : `<iframe sandbox title="HTML body" srcdoc="${escapeHtml(message.html)}"></iframe>`;
  const text =
    message.text === undefined
      ? '<p class="muted">No text part.</p>'
      : `<pre>${escapeHtml(message.text)}</pre>`;
  return page(
    message.subject,
    `<p><a href="/">&larr; all messages</a></p><h1>${escapeHtml(message.subject || '(no subject)')}</h1>
<h2>HTML</h2>${html}<h2>Text</h2>${text}<h2>Headers</h2><table>${headers}</table>`,
  );
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9]+-[0-9a-f]+$' } },
  required: ['id'],
} as const;

/**
 * The inbox app over a mailbox, and the held emails when it has a database to read them from; the caller
 * listens (dev) or uses inject() (tests).
 */
export function buildInbox(
  mailbox: Pick<Mailbox, 'messages' | 'clear'>,
  heldEmails: HeldEmails | null = null,
): FastifyInstance {
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
  });
  const byId = (id: string) => mailbox.messages().find((message) => message.id === id);

  const heldList = async (): Promise<HeldList> => {
    if (heldEmails === null) return null;
    try {
      return { held: await heldEmails(Date.now()) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(listPage(mailbox.messages(), await heldList())),
  );
  app.get<{ Params: { id: string } }>(
    '/messages/:id',
    { schema: { params: idParams } },
    async (request, reply) => {
      const message = byId(request.params.id);
      if (!message)
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(page('Not found', '<p>No such message.</p>'));
      return reply.type('text/html; charset=utf-8').send(messagePage(message));
    },
  );
  app.get('/api/messages', (_request, reply) => reply.send(mailbox.messages()));
  app.get('/api/held', async (_request, reply) => {
    const list = await heldList();
    if (list === null) return reply.code(404).send({ error: 'the inbox was started without --mongodb-uri' });
    if ('error' in list) return reply.code(503).send(list);
    return reply.send(list.held);
  });
  app.delete('/api/messages', async (_request, reply) => {
    await mailbox.clear();
    return reply.code(204).send();
  });
  return app;
}

// What the dev mailbox keeps of each message: the SMTP envelope, every header, and both bodies, parsed from
// the raw bytes. The raw message is stored as it would be by a mail server on final delivery: with
// Return-Path and Delivered-To headers in front, so an .eml file alone brings back its envelope.
import { simpleParser } from 'mailparser';

export interface ReceivedMessage {
  /** Unique within the mailbox; also the .eml file's name when the mailbox keeps files. */
  id: string;
  envelope: { from: string; to: string[] };
  /** Header names in lower case; a header that appears more than once keeps its values joined by newlines. */
  headers: Record<string, string>;
  messageId: string | undefined;
  subject: string;
  /** The Date header as ISO 8601, when it parses. */
  date: string | undefined;
  html: string | undefined;
  text: string | undefined;
  /** ISO 8601 time the mailbox accepted the message. */
  receivedAt: string;
}

/** Puts the envelope in front of a raw message the way a delivering server does. */
export function withDeliveryHeaders(raw: Buffer, envelope: ReceivedMessage['envelope']): Buffer {
  const lines = [`Return-Path: <${envelope.from}>`, ...envelope.to.map((to) => `Delivered-To: ${to}`)];
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n'), raw]);
}

/** Parses a stored message (raw bytes with delivery headers) into what the mailbox shows. */
export async function parseStoredMessage(
  id: string,
  stored: Buffer,
  receivedAt: Date,
): Promise<ReceivedMessage> {
  const parsed = await simpleParser(stored, { skipImageLinks: true });
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}\n${value}`;
  }
  const returnPath = headers['return-path'] ?? '';
  return {
    id,
    envelope: {
      from: returnPath.replace(/^<|>$/g, ''),
      to: (headers['delivered-to'] ?? '').split('\n').filter((to) => to.length > 0),
    },
    headers,
    messageId: parsed.messageId,
    subject: parsed.subject ?? '',
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined,
    html: parsed.html === false ? undefined : parsed.html,
    text: parsed.text,
    receivedAt: receivedAt.toISOString(),
  };
}

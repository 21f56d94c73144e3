// Human or raw: ../shared/docs/reports.md, "Clicks". A click is human unless it looks like a mail scanner:
// a HEAD request, a known link-scanning (or any bot's) user agent, no user agent at all (every mail client and
// browser sends one), a click within 2 seconds of the email's delivery, or one of several different links of
// the same email opened within 2 seconds of each other.

import { isbot } from 'isbot';
import type { ClickAgent, RawClickReason } from '../../db/index.js';

/** Scanners open links the moment an email arrives, and open all of them at once. */
export const SCANNER_WINDOW_MS = 2_000;

export interface ClickRequest {
  method: 'GET' | 'HEAD';
  userAgent: string | undefined;
  /** ms epoch */
  at: number;
  url: string;
}

export interface ClickClass {
  agent: ClickAgent;
  human: boolean;
  reason: RawClickReason | null;
}

export function agentOf(userAgent: string | undefined): ClickAgent {
  const agent = userAgent?.trim() ?? '';
  if (agent === '') return 'none';
  return isbot(agent) ? 'scanner' : 'browser';
}

/**
 * `sentAt`: when the email was delivered (null while the ledger has not recorded it: the click came before
 * the send was even written down). `earlier`: the email's other clicks within the window before this one.
 */
export function classifyClick(
  click: ClickRequest,
  sentAt: number | null,
  earlier: readonly { url: string; at: number }[],
): ClickClass {
  const agent = agentOf(click.userAgent);
  const raw = (reason: RawClickReason): ClickClass => ({ agent, human: false, reason });
  if (click.method === 'HEAD') return raw('head');
  if (agent === 'scanner') return raw('scanner-agent');
  if (agent === 'none') return raw('no-agent');
  if (sentAt === null || click.at - sentAt < SCANNER_WINDOW_MS) return raw('soon-after-delivery');
  if (earlier.some((other) => other.url !== click.url && click.at - other.at < SCANNER_WINDOW_MS))
    return raw('several-links');
  return { agent, human: true, reason: null };
}

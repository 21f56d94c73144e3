// Human or raw, as ../shared/docs/reports.md defines a mail scanner's click: HEAD, a known link-scanning user
// agent, within 2 seconds of the delivery, one of several different links of the email within 2 seconds.

import { describe, expect, it } from 'vitest';
import { classifyClick, type ClickRequest } from '../../domain/clicks/classify.js';

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const SENT = Date.parse('2026-06-10T13:00:00Z');
const MINUTE = 60_000;
const click = (fields: Partial<ClickRequest> = {}): ClickRequest => ({
  method: 'GET',
  userAgent: BROWSER,
  at: SENT + MINUTE,
  url: 'https://riverside.example/runs',
  ...fields,
});

describe('a click', () => {
  it('is human from a browser, a while after the delivery', () => {
    expect(classifyClick(click(), SENT, [])).toEqual({ agent: 'browser', human: true, reason: null });
  });

  it.each([
    ['a HEAD request', click({ method: 'HEAD' }), 'head', 'browser'],
    [
      'a link scanner’s agent',
      click({ userAgent: 'BarracudaCentral (Link Protection)' }),
      'scanner-agent',
      'scanner',
    ],
    ['no user agent', click({ userAgent: undefined }), 'no-agent', 'none'],
    ['1.9 s after the delivery', click({ at: SENT + 1_900 }), 'soon-after-delivery', 'browser'],
  ])('is raw as %s', (_name, request, reason, agent) => {
    expect(classifyClick(request, SENT, [])).toEqual({ agent, human: false, reason });
  });

  it('is raw before the ledger has even recorded the delivery', () => {
    expect(classifyClick(click(), null, [])).toMatchObject({ human: false, reason: 'soon-after-delivery' });
  });

  it('is raw as the second of different links of the email opened within 2 s, not as a repeat of one', () => {
    const first = { url: 'https://riverside.example/map', at: SENT + MINUTE - 1_500 };
    expect(classifyClick(click(), SENT, [first])).toMatchObject({ human: false, reason: 'several-links' });
    const same = { url: 'https://riverside.example/runs', at: SENT + MINUTE - 1_500 };
    expect(classifyClick(click(), SENT, [same])).toMatchObject({ human: true });
    const longBefore = { url: 'https://riverside.example/map', at: SENT + MINUTE - 2_000 };
    expect(classifyClick(click(), SENT, [longBefore])).toMatchObject({ human: true });
  });
});

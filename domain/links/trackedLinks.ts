// Click tracking at render time: every http(s) link in an email's HTML becomes a signed redirect,
// `<publicUrl>/l/click?t=<token>`, whose token carries the original address, the delivery that sent it and
// the member it went to (api/routes/links/clickRedirect.ts records the click and answers 302). Tend's own
// link pages (unsubscribe, preferences, survey, approve, decline), `mailto:`, `tel:` and `#` anchors are left
// as they are, and so is the text part: it is written from the HTML before the links are rewritten.

import { DomUtils, parseDocument } from 'htmlparser2';
import { expiresIn, type LinkSigner } from './signedLinks.js';

/** Longer addresses stay as they are: the token would not fit in the link a mail client keeps. */
export const MAX_TRACKED_URL_LENGTH = 2000;

export interface ClickLinkFor {
  /** The delivery ledger key of the email. */
  delivery: string;
  /** The member the email goes to. */
  memberId: string;
  /** ms epoch: when the links are made (their expiry counts from it). */
  now: number;
}

/** The email's HTML with its links rewritten to signed click redirects; unchanged when it has none. */
export function trackLinks(html: string, signer: LinkSigner, email: ClickLinkFor): string {
  const document = parseDocument(html);
  const anchors = DomUtils.findAll((element) => element.name === 'a', document.children);
  let changed = false;
  for (const anchor of anchors) {
    const target = trackedAddress(anchor.attribs.href, signer);
    if (target === null) continue;
    anchor.attribs.href = signer.url({
      a: 'click',
      m: email.memberId,
      d: email.delivery,
      u: target,
      x: expiresIn('click', email.now),
    });
    changed = true;
  }
  // Written back as UTF-8 text (the email's charset), escaping only what HTML needs: the default would write
  // `'` in a style attribute as `&apos;`, which older mail clients do not read.
  return changed ? DomUtils.getOuterHTML(document, { encodeEntities: 'utf8' }) : html;
}

/**
 * The address a link is tracked for, or null when it stays as it is. The address is the one a browser would
 * go to (`URL.href`: ASCII, percent-encoded), so that it can stand in a Location header as it is.
 */
function trackedAddress(href: string | undefined, signer: LinkSigner): string | null {
  const written = href?.trim() ?? '';
  if (!/^https?:\/\//i.test(written) || signer.isLinkPage(written)) return null;
  let address: string;
  try {
    address = new URL(written).href;
  } catch {
    return null;
  }
  return address.length > MAX_TRACKED_URL_LENGTH ? null : address;
}

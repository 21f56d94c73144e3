// The `wait` preference of RFC 7240 (`Prefer: wait=5`): how many seconds the client is willing to wait for
// the complete answer. Several preferences may share the header (`respond-async, wait=5`), each possibly
// with parameters after `;`; the first `wait` wins (RFC 7240, section 2).

const WAIT = /^wait\s*=\s*"?(\d{1,6})"?$/i;

/** The seconds a `Prefer` header asks to wait, or 0 when it asks for none. */
export function preferredWaitSeconds(prefer: string | undefined): number {
  for (const preference of (prefer ?? '').split(',')) {
    const [token = ''] = preference.split(';');
    const match = WAIT.exec(token.trim());
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return 0;
}

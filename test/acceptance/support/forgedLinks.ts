// Forging a signed link the way an attacker (or a mangling mail client) would: the same URL with one
// character of its token changed, in the signed payload or in the signature. Tokens are
// `<payload>.<signature>`, both base64url, in the `t` query parameter.

export type TokenPart = 'payload' | 'signature';

/** The token of a link, or undefined when the link carries none. */
export function tokenOf(url: string): string | undefined {
  return new URL(url).searchParams.get('t') ?? undefined;
}

/**
 * The URL with one character of the token's payload or signature replaced by another base64url character.
 * The signature's first character is changed, not its last: the last one of a 32-byte MAC carries two
 * padding bits that decoding ignores, so changing it may leave the MAC as it was.
 */
export function forged(url: string, part: TokenPart): string {
  const token = tokenOf(url);
  const [payload, signature] = token?.split('.') ?? [];
  if (payload === undefined || signature === undefined) throw new Error(`not a signed link: ${url}`);
  const changed =
    part === 'payload'
      ? `${flipAt(payload, Math.floor(payload.length / 2))}.${signature}`
      : `${payload}.${flipAt(signature, 0)}`;
  const result = new URL(url);
  result.searchParams.set('t', changed);
  return result.toString();
}

function flipAt(text: string, index: number): string {
  const current = text.charAt(index);
  return `${text.slice(0, index)}${current === 'A' ? 'B' : 'A'}${text.slice(index + 1)}`;
}

// Email addresses as managers write them: `hello@riverside.example` or `Riverside RC <hello@riverside.example>`.

import addressparser from 'nodemailer/lib/addressparser/index.js';

const PLAIN_ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/;

/** Why `text` is not one email address, or null when it is. */
export function addressProblem(text: string): string | null {
  const parsed = addressparser(text, { flatten: true });
  const [first] = parsed;
  if (parsed.length === 1 && first !== undefined && PLAIN_ADDRESS.test(first.address)) return null;
  if (parsed.length > 1) return `"${text}" is more than one address: write one`;
  return `"${text}" is not an email address: write one like hello@example.org or "Name <hello@example.org>"`;
}

// A hand-written member file with mistakes: `tend preview` names each field, what it must be (in the words the
// API uses for the same fields) and what the file has, instead of TypeBox's "Expected union value".

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMemberFile } from '../../cli/preview/previewFiles.js';
import { PreviewInputError } from '../../preview/previewInputError.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tend-preview-files-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsOf(name: string, member: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(member));
  const error = await readMemberFile(file, 'active').then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PreviewInputError);
  return error instanceof Error ? error.message : '';
}

describe('a member file that does not fit', () => {
  it('names each wrong field, what it must be and what the file has', async () => {
    const message = await problemsOf('bad.json', {
      email: 'ada@example.org',
      status: 'actve',
      name: 42,
      timezone: 'Mars/Base',
      joinedAt: 'yesterday',
    });
    const file = path.join(dir, 'bad.json');
    expect(message.split('\n')).toEqual([
      `${file}: name must be a string (found 42)`,
      `${file}: timezone must be an IANA time zone, e.g. Europe/London (found "Mars/Base")`,
      `${file}: status must be one of: applied, active, declined, left, banned (found "actve")`,
      `${file}: joinedAt must be an ISO 8601 date and time, e.g. 2025-06-01T18:30:00Z (found "yesterday")`,
    ]);
  });

  it('says which field is missing', async () => {
    expect(await problemsOf('no-email.json', { name: 'Ada' })).toBe(
      `${path.join(dir, 'no-email.json')}: email is required`,
    );
  });

  it('cuts a long value short, so each problem stays one line', async () => {
    const message = await problemsOf('long.json', { email: 'ada@example.org', status: 'x'.repeat(100) });
    expect(message).toBe(
      `${path.join(dir, 'long.json')}: status must be one of: applied, active, declined, left, banned (found "${'x'.repeat(36)}...)`,
    );
  });
});

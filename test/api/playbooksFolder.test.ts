// The API's view of the playbooks folder (a real MongoDB-wire server, real files): playbook reports from the
// plans collection, or from compiling the folder when no worker has stored any; community.yaml's last good
// version kept when an edit breaks it.

import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailable } from '../../api/errors.js';
import { createPlaybooksFolderSource } from '../../api/playbooksFolder.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
const logger = pino({ level: 'silent' });
let models: Models;
let folder: string;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  folder = await mkdtemp(path.join(tmpdir(), 'tend-playbooks-'));
  await cp('playbooks', folder, { recursive: true });
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the playbooks folder as the API sees it', () => {
  it('compiles the folder for GET /v1/playbooks when no worker has stored plans', async () => {
    const source = createPlaybooksFolderSource({ dir: folder, models, logger });
    const reports = await source.playbooks();
    expect(reports.map((report) => report.id)).toEqual([
      'application-review',
      'event-feedback',
      'event-reminders',
      'onboarding',
      're-engagement',
      'weekly-digest',
    ]);
    expect(reports.every((report) => report.valid && report.enabled && report.version !== null)).toBe(true);
  });

  it('keeps the last good community.yaml when an edit breaks it, and refuses when there never was one', async () => {
    const file = path.join(folder, 'community.yaml');
    const good = await readFile(file, 'utf8');
    const source = createPlaybooksFolderSource({ dir: folder, models, logger, refreshMs: 0 });
    expect(Object.keys((await source.community()).forms)).toEqual(['join']);

    await writeFile(file, good.replace('timezone: Europe/London', 'timezone: Europe/Atlantis'));
    const kept = await source.community();
    expect(kept.settings.timezone).toBe('Europe/London');

    const fresh = createPlaybooksFolderSource({ dir: folder, models, logger, refreshMs: 0 });
    await expect(fresh.community()).rejects.toThrow(ServiceUnavailable);
    await writeFile(file, good);
  });
});

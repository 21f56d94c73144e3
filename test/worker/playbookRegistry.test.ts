// The playbook registry against a real MongoDB-wire server and a real folder: every version is stored, an
// edit that no longer validates keeps the last good version in service and reports every error, a removed
// playbook leaves service, and the last good version survives a restart.

import { mkdtemp, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../compiler/plan.js';
import { createModels, ensureIndexes, type Models } from '../../db/index.js';
import { startPlaybookRegistry, type PlaybookRegistry } from '../../worker/playbookRegistry.js';
import { useTestDatabase } from '../support/mongo.js';

const db = useTestDatabase();
let models: Models;
let dir: string;
const logged: string[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(line) });
const loggedMessages = () =>
  logged.map((line) => {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null && 'msg' in entry ? String(entry.msg) : '';
  });

const COMMUNITY = `name: Registry Club
timezone: Europe/London
from: "Registry Club <hello@registry.example>"
managers: [organisers@registry.example]
postal_address: "1 Test Lane"
`;
const welcome = (waitDays: number) => `name: Welcome
trigger: { event: member.approved }
steps:
  - id: hello
    send_email: hello
  - wait: ${waitDays}d
`;
const TEMPLATE = `---
subject: Hello {{member.name}}
---
<p>Hello.</p>
<p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>
`;

beforeAll(async () => {
  models = createModels(db.connection);
  await ensureIndexes(models);
  dir = await mkdtemp(path.join(tmpdir(), 'tend-registry-'));
  await mkdir(path.join(dir, 'templates'));
  await writeFile(path.join(dir, 'community.yaml'), COMMUNITY);
  await writeFile(path.join(dir, 'templates', 'hello.hbs'), TEMPLATE);
  await writeFile(path.join(dir, 'welcome.yaml'), welcome(2));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const records = (playbook: string) => models.plans.find({ playbook }).sort({ compiledAt: 1 }).lean().exec();
const current = (playbook: string) => models.plans.findOne({ playbook, current: true }).lean().exec();

describe('the playbook registry', () => {
  let registry: PlaybookRegistry;
  const reloads: Plan[][] = [];

  it('compiles the folder, serves the plans and stores their versions', async () => {
    registry = await startPlaybookRegistry({
      dir,
      models,
      logger,
      onReload: (plans) => {
        reloads.push(plans);
        return Promise.resolve();
      },
    });
    const [plan] = registry.plans();
    expect(plan?.id).toBe('welcome');
    expect(reloads).toHaveLength(1);
    const stored = await current('welcome');
    expect(stored).toMatchObject({ version: plan?.version, valid: true, enabled: true, diagnostics: [] });
    expect(JSON.parse(stored?.planJson ?? 'null')).toEqual(plan);
  });

  it('keeps the last good version in service when an edit does not validate, and reports every error', async () => {
    const good = registry.plans()[0]?.version;
    await writeFile(
      path.join(dir, 'welcome.yaml'),
      `name: Welcome
trigger: { event: member.approved }
steps:
  - id: hello
    send_mail: hello
  - wait: 3 days
`,
    );
    const [status] = await registry.reload();
    expect(status).toMatchObject({ playbook: 'welcome', version: good, valid: false });
    expect(status?.diagnostics.length).toBeGreaterThanOrEqual(2);
    expect(status?.diagnostics.join('\n')).toMatch(/welcome\.yaml:5:5 .*send_mail/);
    expect(status?.diagnostics.join('\n')).toMatch(/welcome\.yaml:6:\d+ .*3 days/);
    expect(registry.plans().map((plan) => plan.version)).toEqual([good]);
    expect(await current('welcome')).toMatchObject({
      version: good,
      valid: false,
      diagnostics: status?.diagnostics,
    });
    for (const diagnostic of status?.diagnostics ?? []) expect(loggedMessages()).toContain(diagnostic);
  });

  it('serves a fixed file at its new version, keeping the old version stored', async () => {
    const old = registry.plans()[0]?.version;
    await writeFile(path.join(dir, 'welcome.yaml'), welcome(5));
    const [status] = await registry.reload();
    expect(status).toMatchObject({ playbook: 'welcome', valid: true });
    expect(status?.version).not.toBe(old);
    expect(registry.plans().map((plan) => plan.version)).toEqual([status?.version]);
    const stored = await records('welcome');
    expect(stored.map((record) => [record.version, record.current])).toEqual([
      [old, false],
      [status?.version, true],
    ]);
  });

  it('recompiles by itself after an edit in the folder', async () => {
    const before = registry.plans()[0]?.version;
    registry.watch();
    const seen = reloads.length;
    await writeFile(path.join(dir, 'welcome.yaml'), welcome(9));
    await waitUntil(() => reloads.length > seen && registry.plans()[0]?.version !== before, 30_000);
    expect(registry.plans()[0]?.steps.find((step) => step.kind === 'wait')).toMatchObject({
      ms: 9 * 86_400_000,
    });
  });

  it('serves the stored last good version after a restart with a broken file', async () => {
    const good = registry.plans()[0]?.version;
    registry.close();
    await writeFile(path.join(dir, 'welcome.yaml'), 'name: [unclosed\n');
    const restarted = await startPlaybookRegistry({ dir, models, logger });
    expect(restarted.plans().map((plan) => plan.version)).toEqual([good]);
    expect(await current('welcome')).toMatchObject({ version: good, valid: false });
    registry = restarted;
  });

  it('takes a removed playbook out of service', async () => {
    await unlink(path.join(dir, 'welcome.yaml'));
    expect(await registry.reload()).toEqual([]);
    expect(registry.plans()).toEqual([]);
    expect(await current('welcome')).toBeNull();
    registry.close();
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The "Patterns" of docs/playbooks.md, taken from the page as a manager copies them: each compiles beside the
// shipped playbooks, and its preview does what the pattern's title says.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../../compiler/index.js';
import type { MemberRecord } from '../../compiler/records.js';
import { previewRun } from '../../preview/previewRun.js';
import type { ScriptedEvent } from '../../preview/scriptedEvents.js';

const START = Date.parse('2025-03-03T11:00:00Z');
const DAY = 24 * 3600_000;

/** The ```yaml blocks of a section of a markdown page, from its heading to the next heading of its level. */
function yamlBlocks(page: string, heading: string): string[] {
  const start = page.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no section "${heading}"`);
  const end = page.indexOf('\n## ', start + heading.length + 2);
  const section = page.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

async function patternPlans() {
  const blocks = yamlBlocks(await readFile('docs/playbooks.md', 'utf8'), '## Patterns');
  const shipped = await readPlaybooksDir('playbooks');
  const added = blocks.map((text, index) => ({ path: `playbooks/pattern-${index + 1}.yaml`, text }));
  const result = compilePlaybooks({ ...shipped, playbooks: [...shipped.playbooks, ...added] });
  return { blocks, result };
}

const ada = (fields: Partial<MemberRecord> = {}): MemberRecord => ({
  _id: 'm-ada',
  email: 'ada@example.org',
  firstName: 'Ada',
  name: 'Ada Lovelace',
  status: 'active',
  timezone: 'America/New_York',
  ...fields,
});

async function preview(id: string, member: MemberRecord, events: ScriptedEvent[] = []) {
  const { result } = await patternPlans();
  const plan = result.plans.find((candidate) => candidate.id === id);
  if (plan === undefined) throw new Error(`no plan ${id}`);
  const run = await previewRun({
    plan,
    start: START,
    member,
    event: null,
    rsvp: null,
    upcomingEvents: null,
    peers: null,
    events,
  });
  return run.emails.map(
    (email) => `${email.template}>${email.to.join(',')}@${new Date(email.at).toISOString()}`,
  );
}

describe('the Patterns of docs/playbooks.md', () => {
  it('are three playbooks, and each compiles beside the shipped ones without a warning', async () => {
    const { blocks, result } = await patternPlans();
    expect(blocks).toHaveLength(3);
    const own = result.diagnostics.filter((d) => d.file.includes('pattern-')).map(formatDiagnostic);
    expect(own).toEqual([]);
    expect(result.plans.filter((plan) => plan.id.startsWith('pattern-'))).toHaveLength(3);
  });

  it("has not RSVP'd yet: invites after 5 days, and not a member whose RSVP came first", async () => {
    // Five days after 06:00 in New York is inside quiet hours: it goes at 08:00 there.
    expect(await preview('pattern-1', ada())).toEqual([
      'upcoming-events>ada@example.org@2025-03-08T13:00:00.000Z',
    ]);
    const rsvp: ScriptedEvent = { at: START + 2 * DAY, type: 'rsvp.created', data: {} };
    expect(await preview('pattern-1', ada(), [rsvp])).toEqual([]);
  });

  it("send at a local time: 10:00 on Saturday on the member's clock", async () => {
    expect(await preview('pattern-2', ada())).toEqual(['welcome>ada@example.org@2025-03-08T15:00:00.000Z']);
    expect(await preview('pattern-2', ada({ timezone: 'Asia/Tokyo' }))).toEqual([
      'welcome>ada@example.org@2025-03-08T01:00:00.000Z',
    ]);
  });

  it('tells the organisers only about a member who can still be reached', async () => {
    expect(await preview('pattern-3', ada())).toEqual([
      'quiet-member>organisers@riverside.example@2025-03-17T11:00:00.000Z',
    ]);
    expect(await preview('pattern-3', ada({ emailStatus: 'bounced' }))).toEqual([]);
    expect(await preview('pattern-3', ada({ unsubscribed: ['community'] }))).toEqual([]);
  });
});

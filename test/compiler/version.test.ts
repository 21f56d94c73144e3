// A plan's version changes exactly when what its runs do changes: a step, a template it sends, a layout or
// partial those use, a community setting. Comments, spacing and key order do not make a new version.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks } from '../../compiler/index.js';
import { contentVersion } from '../../compiler/version.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

const FILES: Record<string, string> = {
  ...BASE_FILES,
  'templates/layouts/default.hbs': '<html>{{{body}}}{{> footer}}</html>\n',
  'templates/partials/footer.hbs': '<p>{{community.postal_address}}</p>\n',
  'onboarding.yaml': dedent`
    name: Onboarding
    trigger: { event: member.approved }
    steps:
      - id: welcome
        send_email: welcome
      - wait: 2d
  `,
  'reminders.yaml': dedent`
    name: Reminders
    trigger: { event: rsvp.created, key: eventId }
    steps:
      - id: remind
        send_email: event-reminder
  `,
};

function versions(files: Record<string, string>): Record<string, string> {
  const result = compilePlaybooks(sourcesFrom(files));
  expect(result.ok).toBe(true);
  return Object.fromEntries(result.plans.map((plan) => [plan.id, plan.version]));
}

describe('plan versions', () => {
  const before = versions(FILES);

  it('are 16 hex characters of the hash of the plan without its version and its emails7d need', () => {
    const plan = compilePlaybooks(sourcesFrom(FILES)).plans[0];
    expect(plan?.version).toMatch(/^[0-9a-f]{16}$/);
    if (!plan) return;
    const { version, needs, ...rest } = plan;
    const { emails7d, ...hashedNeeds } = needs;
    expect(emails7d).toBe(false);
    expect(contentVersion({ ...rest, needs: hashedNeeds })).toBe(version);
    expect(contentVersion({ ...rest, needs })).not.toBe(version);
  });

  it('are the same on every compile of the same files', () => {
    expect(versions(FILES)).toEqual(before);
  });

  it('do not change for comments, spacing or key order', () => {
    const reformatted = {
      ...FILES,
      'onboarding.yaml': dedent`
        # Welcome new members.
        trigger:   { event: member.approved }   # who
        name: Onboarding
        steps:
          - send_email: welcome
            id: welcome
          - { wait: 2d }
      `,
    };
    expect(versions(reformatted)).toEqual(before);
  });

  it('change when a template the playbook sends changes, and only for that playbook', () => {
    const edited = versions({
      ...FILES,
      'templates/welcome.hbs': FILES['templates/welcome.hbs']?.replace('Hi', 'Hello') ?? '',
    });
    expect(edited.onboarding).not.toBe(before.onboarding);
    expect(edited.reminders).toBe(before.reminders);
  });

  it('change for every playbook when the layout or a partial it uses changes', () => {
    const edited = versions({ ...FILES, 'templates/partials/footer.hbs': '<p>{{community.name}}</p>\n' });
    expect(edited.onboarding).not.toBe(before.onboarding);
    expect(edited.reminders).not.toBe(before.reminders);
  });

  it('change when a step changes', () => {
    const edited = versions({
      ...FILES,
      'onboarding.yaml': FILES['onboarding.yaml']?.replace('2d', '3d') ?? '',
    });
    expect(edited.onboarding).not.toBe(before.onboarding);
    expect(edited.reminders).toBe(before.reminders);
  });

  it('change when community.yaml changes what emails say', () => {
    const community = BASE_FILES['community.yaml']?.replace('1 Park Lane', '2 Park Lane') ?? '';
    const edited = versions({ ...FILES, 'community.yaml': community });
    expect(edited.onboarding).not.toBe(before.onboarding);
    expect(edited.reminders).not.toBe(before.reminders);
  });

  it('do not change when a template no playbook sends changes', () => {
    expect(
      versions({ ...FILES, 'templates/peer-introduction.hbs': '---\nsubject: Other\n---\n<p>Other</p>\n' }),
    ).toEqual(before);
  });
});

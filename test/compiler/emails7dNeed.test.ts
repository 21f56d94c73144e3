// `needs.emails7d`: whether a plan's conditions or emails can read `member.activity.emails7d` (or the peer's),
// the one member field that costs a count of the deliveries on every load. Exact where a path names it (also
// through `with` blocks, block parameters and partials); true where the compiler cannot tell, because a run
// that does not count what its email shows would show a wrong number. And the need leaves versions alone.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, readPlaybooksDir } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import { contentVersion } from '../../compiler/version.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

const UNSUBSCRIBE = '<p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>';

function plan(files: Record<string, string>): Plan {
  const { plans, diagnostics } = compilePlaybooks(sourcesFrom({ ...BASE_FILES, ...files }));
  expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  const compiled = plans.find((candidate) => candidate.id === 'nudge');
  if (compiled === undefined) throw new Error('nudge did not compile');
  return compiled;
}

/** A playbook that sends `nudge.hbs`, whose body is `body`, and the partials and layout given. */
function sending(body: string, more: Record<string, string> = {}): Plan {
  return plan({
    'nudge.yaml': dedent`
      name: Nudge
      trigger: { event: member.approved }
      steps:
        - id: nudge
          send_email: nudge
    `,
    'templates/nudge.hbs': `---\nsubject: Hello\n---\n<p>${body}</p>\n${UNSUBSCRIBE}\n`,
    ...more,
  });
}

/** A playbook whose one condition is `condition` (YAML flow mapping), sending the base welcome email. */
function checking(condition: string): Plan {
  return plan({
    'nudge.yaml': dedent`
      name: Nudge
      trigger: { event: member.approved }
      steps:
        - id: check
          if: ${condition}
          then:
            - id: welcome
              send_email: welcome
    `,
  });
}

describe('needs.emails7d in conditions', () => {
  it('is true for a condition on member.activity.emails7d', () => {
    expect(checking('{ member.activity.emails7d: { $lt: 3 } }').needs.emails7d).toBe(true);
  });

  it('is true for a condition on the whole activity record, which compares the count with the rest', () => {
    expect(checking('{ member.activity: { $exists: true } }').needs.emails7d).toBe(true);
  });

  it('is false for conditions on other activity fields', () => {
    expect(checking('{ member.activity.rsvps: 0, member.tags: vip }').needs.emails7d).toBe(false);
  });

  it('is true for an exit condition on it', () => {
    const exits = plan({
      'nudge.yaml': dedent`
        name: Nudge
        trigger: { event: member.approved }
        exit:
          - if: { member.activity.emails7d: { $gt: 5 } }
        steps:
          - id: welcome
            send_email: welcome
      `,
    });
    expect(exits.needs.emails7d).toBe(true);
  });
});

describe('needs.emails7d in templates', () => {
  it.each([
    ['a direct path', '{{member.activity.emails7d}}'],
    ['a path inside {{#with member.activity}}', '{{#with member.activity}}{{emails7d}}{{/with}}'],
    ['a path inside {{#with member}}', '{{#with member}}{{activity.emails7d}}{{/with}}'],
    ['nested with blocks', '{{#with member}}{{#with activity}}{{emails7d}}{{/with}}{{/with}}'],
    ['a block parameter', '{{#with member.activity as |facts|}}{{facts.emails7d}}{{/with}}'],
    ['../ out of a block', '{{#with member.activity}}{{../member.activity.emails7d}}{{/with}}'],
    ['@root inside a block', '{{#with community}}{{@root.member.activity.emails7d}}{{/with}}'],
    ['an #if on it', '{{#if member.activity.emails7d}}busy{{/if}}'],
    ['a #with over it, which shows whether it is 0', '{{#with member.activity.emails7d}}busy{{/with}}'],
    ['a helper argument', '{{default member.activity.emails7d "none"}}'],
    ['an #each over the activity record', '{{#each member.activity}}{{@key}} {{this}}{{/each}}'],
    ['the activity record printed whole', '{{member.activity}}'],
    ['the activity record handed to a helper', '{{#if member.activity}}yes{{/if}}'],
    ['this inside {{#with member}}', '{{#with member}}{{#each this}}{{this}}{{/each}}{{/with}}'],
    ['the whole context', '{{#each this}}{{@key}}{{/each}}'],
  ])('is true for %s', (_case, body) => {
    expect(sending(body).needs.emails7d).toBe(true);
  });

  it.each([
    ['other member fields', '{{member.firstName}} {{member.activity.rsvps}}'],
    [
      'other fields inside {{#with member.activity}}',
      '{{#with member.activity}}{{rsvps}} {{surveys}}{{/with}}',
    ],
    ['other fields inside {{#with member}}', '{{#with member}}{{firstName}} {{activity.attended}}{{/with}}'],
    ['a block parameter read elsewhere', '{{#with member.activity as |facts|}}{{facts.rsvps}}{{/with}}'],
    ['a list of events', '{{#each upcoming_events}}{{title}}{{/each}}'],
  ])('is false for %s', (_case, body) => {
    expect(sending(body).needs.emails7d).toBe(false);
  });

  it('follows partials: their context, their hash, the caller context', () => {
    const partial = (text: string) => ({ 'templates/partials/stats.hbs': `${text}\n` });
    expect(sending('{{> stats}}', partial('{{member.activity.emails7d}}')).needs.emails7d).toBe(true);
    expect(sending('{{> stats member.activity}}', partial('{{emails7d}}')).needs.emails7d).toBe(true);
    expect(sending('{{> stats member.activity}}', partial('{{rsvps}}')).needs.emails7d).toBe(false);
    expect(sending('{{> stats who=member}}', partial('{{who.activity.emails7d}}')).needs.emails7d).toBe(true);
    expect(sending('{{> stats who=member}}', partial('{{who.firstName}}')).needs.emails7d).toBe(false);
    expect(
      sending('{{#with member}}{{> stats}}{{/with}}', partial('{{activity.emails7d}}')).needs.emails7d,
    ).toBe(true);
  });

  it('follows the layout the email is sent in', () => {
    const layout = (text: string) => ({
      'templates/layouts/default.hbs': `<html>{{{body}}}${text}</html>\n`,
    });
    expect(sending('Hi', layout('{{member.activity.emails7d}} emails')).needs.emails7d).toBe(true);
    expect(sending('Hi', layout('{{member.firstName}}')).needs.emails7d).toBe(false);
  });

  it("is true for the peer's count in an introduction", () => {
    const introducing = (line: string) =>
      plan({
        'nudge.yaml': dedent`
          name: Nudge
          trigger: { event: member.approved }
          steps:
            - id: introduce
              introduce: { match: { same: [interests] }, template: intro }
        `,
        'templates/intro.hbs': `---\nsubject: Meet {{peer.firstName}}\n---\n<p>${line}</p>\n${UNSUBSCRIBE}\n`,
      });
    expect(introducing('{{peer.activity.emails7d}} emails this week').needs.emails7d).toBe(true);
    expect(introducing('{{peer.firstName}} joined too').needs.emails7d).toBe(false);
  });
});

describe('needs.emails7d and plan versions', () => {
  it('is left out of the version: a plan that reads it hashes as it did before the need existed', () => {
    const reading = sending('{{member.activity.emails7d}}');
    expect(reading.needs.emails7d).toBe(true);
    const { version, needs, ...rest } = reading;
    const { emails7d: _need, ...before } = needs;
    expect(contentVersion({ ...rest, needs: before })).toBe(version);
  });

  it('leaves the version of every shipped playbook as a release before the need computed it', async () => {
    const { plans, diagnostics } = compilePlaybooks(await readPlaybooksDir('playbooks'));
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(plans.length).toBeGreaterThan(0);
    for (const shipped of plans) {
      // None of them reads the count, so none of their runs queries the deliveries for it.
      expect(shipped.needs.emails7d).toBe(false);
      const { version, needs, ...rest } = shipped;
      const { emails7d: _need, ...before } = needs;
      expect(contentVersion({ ...rest, needs: before })).toBe(version);
    }
  });
});

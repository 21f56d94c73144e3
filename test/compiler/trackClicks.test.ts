// `track_clicks` (the language page, 1.1): on by default, off for a community in community.yaml, for a
// playbook in its `delivery` (either way, over the community's), and for one email in its front matter. A
// plan that tracks clicks carries no field for it, so plans compiled before click tracking keep their version.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic } from '../../compiler/index.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

const playbook = (delivery: string) => dedent`
  name: News
  trigger: { event: member.approved }
  ${delivery}
  steps:
    - id: news
      send_email: welcome
    - id: quiet
      send_email: quiet
`;
const QUIET = dedent`
  ---
  subject: A quiet one
  track_clicks: false
  ---
  <p><a href="https://riverside.example">Us</a> <a href="{{links.unsubscribe}}">Unsubscribe</a></p>
`;

function compile(files: Record<string, string>) {
  const { plans, diagnostics } = compilePlaybooks(
    sourcesFrom({ ...BASE_FILES, 'templates/quiet.hbs': QUIET, ...files }),
  );
  return { plan: plans.find((plan) => plan.id === 'news'), lines: diagnostics.map(formatDiagnostic) };
}

const communityWith = (line: string) => `${BASE_FILES['community.yaml'] ?? ''}\n  ${line}\n`;

describe('track_clicks', () => {
  it('is on by default and leaves no trace in the plan; front matter turns it off for one email', () => {
    const { plan, lines } = compile({ 'news.yaml': playbook('') });
    expect(lines).toEqual([]);
    expect(plan?.delivery).toEqual({ quietHours: { start: '21:00', end: '08:00' }, frequencyCap: null });
    expect(plan?.templates.emails.welcome).not.toHaveProperty('trackClicks');
    expect(plan?.templates.emails.quiet?.trackClicks).toBe(false);
  });

  it('is off for the community in community.yaml, and a playbook may turn it back on', () => {
    const community = communityWith('track_clicks: false');
    const off = compile({ 'community.yaml': community, 'news.yaml': playbook('') });
    expect(off.lines).toEqual([]);
    expect(off.plan?.delivery.trackClicks).toBe(false);
    const on = compile({
      'community.yaml': community,
      'news.yaml': playbook('delivery: { track_clicks: true }'),
    });
    expect(on.plan?.delivery).not.toHaveProperty('trackClicks');
    const own = compile({ 'news.yaml': playbook('delivery: { track_clicks: false }') });
    expect(own.plan?.delivery.trackClicks).toBe(false);
  });

  it('takes only true or false, said at file:line:col', () => {
    const { plan, lines } = compile({ 'news.yaml': playbook('delivery: { track_clicks: sometimes }') });
    expect(plan).toBeUndefined();
    expect(lines.join('\n')).toMatch(
      /news\.yaml:3:\d+ +track_clicks must be false: links are left as written/,
    );
  });
});

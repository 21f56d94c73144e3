// A member email in a category members can turn off must carry its unsubscribe link, layout and partials
// included; a send that would go out without one is an error at the template's file:line, with the fix.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../../compiler/index.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

interface LinkCase {
  name: string;
  files: Record<string, string | null>;
  expect: string[];
}

const NO_LINK = dedent`
  ---
  subject: Welcome to {{community.name}}
  ---
  <p>Hi {{default member.firstName "there"}}!</p>
  <p>See you at the next run.</p>
`;

const sends = (step: string): string => dedent`
  name: Onboarding
  trigger: { event: member.approved }
  steps:
    - id: welcome
      ${step}
`;

const FIX = 'add {{> footer}} or <a href="{{links.unsubscribe}}">Unsubscribe</a> to its body or layout';

const CASES: LinkCase[] = [
  {
    name: 'a community email whose template lost its link (issue 13, friction 6)',
    files: { 'templates/welcome.hbs': NO_LINK, 'onboarding.yaml': sends('send_email: welcome') },
    expect: [
      `playbooks/templates/welcome.hbs:5:1  no unsubscribe link in this email, which step "welcome" sends to members as community email: ${FIX}`,
    ],
  },
  {
    name: 'an events email, and the layout named in the message',
    files: {
      'templates/layouts/default.hbs':
        '<html><body>{{{body}}}<p>{{community.postal_address}}</p></body></html>\n',
      'templates/welcome.hbs': NO_LINK,
      'onboarding.yaml': sends('send_email: { template: welcome, category: events }'),
    },
    expect: [
      `playbooks/templates/welcome.hbs:5:1  no unsubscribe link in this email (layout default included), which step "welcome" sends to members as events email: ${FIX}`,
    ],
  },
  {
    name: 'a link that only some members would get',
    files: {
      'templates/welcome.hbs': dedent`
        ---
        subject: Welcome
        ---
        <p>Hi!</p>
        {{#if member.profile.bio}}<a href="{{links.unsubscribe}}">Unsubscribe</a>{{/if}}
      `,
      'onboarding.yaml': sends('send_email: welcome'),
    },
    expect: [
      `playbooks/templates/welcome.hbs:5:1  no unsubscribe link in this email, which step "welcome" sends to members as community email: ${FIX}`,
    ],
  },
  {
    name: 'an introduction without a link',
    files: {
      'templates/peer-introduction.hbs': dedent`
        ---
        subject: Meet {{peer.firstName}}
        ---
        <p>{{member.firstName}}, meet {{peer.firstName}}.</p>
      `,
      'onboarding.yaml': sends('introduce: { match: { same: [interests] }, template: peer-introduction }'),
    },
    expect: [
      `playbooks/templates/peer-introduction.hbs:4:1  no unsubscribe link in this email, which step "welcome" sends to members as community email: ${FIX}`,
    ],
  },
  {
    name: 'the link in the layout, through the footer partial',
    files: {
      'templates/layouts/default.hbs': '<html><body>{{{body}}}{{> footer}}</body></html>\n',
      'templates/partials/footer.hbs':
        '{{#if links.unsubscribe}}<a href="{{links.unsubscribe}}">Unsubscribe</a>{{/if}}\n',
      'templates/welcome.hbs': NO_LINK,
      'onboarding.yaml': sends('send_email: welcome'),
    },
    expect: [],
  },
  {
    name: 'a transactional email needs no link',
    files: {
      'templates/welcome.hbs': NO_LINK,
      'onboarding.yaml': sends('send_email: { template: welcome, category: transactional }'),
    },
    expect: [],
  },
  {
    name: 'an email to the organisers needs no link',
    files: {
      'templates/welcome.hbs': NO_LINK,
      'onboarding.yaml': sends('send_email: { template: welcome, to: manager }'),
    },
    expect: [],
  },
];

describe('the unsubscribe link of member email', () => {
  it.each(CASES)('$name', ({ files, expect: expected }) => {
    const result = compilePlaybooks(sourcesFrom({ ...BASE_FILES, ...files }));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(expected);
    expect(result.ok).toBe(expected.length === 0);
  });

  it('finds the link in every shipped email that needs one', async () => {
    const result = compilePlaybooks(await readPlaybooksDir('playbooks'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

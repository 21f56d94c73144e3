// The layout mistakes a manager makes in YAML, each answered by one message that says what to write and where,
// exactly as `tend validate` prints it. The parser's own words ("All mapping items must start at the same
// column", four of them for one line) are what these replace. A tab that starts a nested block, and a mistake
// the layout does not explain (an unclosed {, which keeps the parser's message), are cases of the table in
// errors.test.ts.

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic } from '../../compiler/index.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

interface MistakeCase {
  name: string;
  files: Record<string, string>;
  /** Every line the compile reports, in order. */
  expect: string[];
}

const CASES: MistakeCase[] = [
  {
    name: 'a key indented one space short of its step',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
           send_email: welcome
          - wait: 2d
      `,
    },
    expect: ['playbooks/onboarding.yaml:5:4  indent send_email 1 more space, to line up with id on line 4'],
  },
  {
    name: 'a key lined up with the "- " instead of the key after it',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
          send_email: welcome
          - wait: 2d
      `,
    },
    expect: ['playbooks/onboarding.yaml:5:3  indent send_email 2 more spaces, to line up with id on line 4'],
  },
  {
    name: 'a key indented past its step',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
              send_email: welcome
          - wait: 2d
      `,
    },
    expect: ['playbooks/onboarding.yaml:5:7  indent send_email 2 spaces less, to line up with id on line 4'],
  },
  {
    name: 'an on_timeout indented under its wait_for',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: first-week
            wait_for: { event: member.active, timeout: 7d }
              on_timeout:
                - send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:7  indent on_timeout 2 spaces less, to line up with wait_for on line 5',
    ],
  },
  {
    name: 'a key after a nested list, indented between two levels',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: nudge
            if: { member.profile.bio: { $exists: false } }
            then:
              - send_email: welcome
           else:
              - wait: 1d
      `,
    },
    expect: ['playbooks/onboarding.yaml:8:4  indent else 1 more space, to line up with then on line 6'],
  },
  {
    name: 'a list item that is short of the others',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcome
         - wait: 2d
      `,
    },
    expect: ['playbooks/onboarding.yaml:6:2  indent "- wait" 1 more space, to line up with "- id" on line 4'],
  },
  {
    name: 'two misplaced lines are two messages, and nothing else',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
           send_email: welcome
          - id: later
            wait: 2d
          - id: nudge
              send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:4  indent send_email 1 more space, to line up with id on line 4',
      'playbooks/onboarding.yaml:9:7  indent send_email 2 spaces less, to line up with id on line 8',
    ],
  },
  {
    name: 'the first key out of line, not the keys after it',
    files: {
      'onboarding.yaml':
        ' name: Onboarding\ntrigger: { event: member.approved }\nsteps:\n  - id: welcome\n    send_email: welcome\n',
    },
    expect: ['playbooks/onboarding.yaml:1:2  indent name 1 space less, to line up with trigger on line 2'],
  },
  {
    name: 'the first step out of line, not the steps after it',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
           - id: welcome
            send_email: welcome
          - wait: 2d
          - id: later
            send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:4  indent "- id" 1 space less, so that id lines up with send_email on line 5',
    ],
  },
  {
    name: 'a list item that should be a key of the step above',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
          - send_email: welcome
          - wait: 2d
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:5  send_email belongs to step "welcome" above: remove the "- " before it, so that send_email lines up with id on line 4',
    ],
  },
  {
    name: 'an on_timeout dedented into a list item of its own after its wait_for',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcome
          - id: first-week
            wait_for: { event: member.active, timeout: 7d }
          - on_timeout:
              - send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:8:5  on_timeout belongs to the wait_for on line 7: remove the "- " before it, so that on_timeout lines up with wait_for',
    ],
  },
  {
    name: 'a then split from its if, inside an on handler',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        on:
          member.active:
            - if: { member.status: active }
            - then:
                - send_email: welcome
        steps:
          - id: welcome
            send_email: welcome
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:7  then belongs to the if on line 5: remove the "- " before it, so that then lines up with if',
    ],
  },
  {
    name: 'a tab among the keys of a step',
    files: {
      'onboarding.yaml':
        'name: Onboarding\ntrigger: { event: member.approved }\nsteps:\n  - id: welcome\n  \tsend_email: welcome\n',
    },
    expect: [
      'playbooks/onboarding.yaml:5:3  indent with spaces, not tabs: start this line with 4 spaces, to line up send_email with id on line 4',
    ],
  },
  {
    name: 'a missing colon after a key with a value',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email welcome
          - wait: 2d
      `,
    },
    expect: ['playbooks/onboarding.yaml:5:5  add a colon after send_email: write send_email: welcome'],
  },
  {
    name: 'a missing colon on the first key of a list item',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id welcome
            send_email: welcome
      `,
    },
    expect: ['playbooks/onboarding.yaml:4:5  add a colon after id: write id: welcome'],
  },
  {
    name: 'a missing colon on the first line',
    files: {
      'onboarding.yaml': dedent`
        name Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: welcome
      `,
    },
    expect: ['playbooks/onboarding.yaml:1:1  add a colon after name: write name: Onboarding'],
  },
  {
    name: 'an unclosed double quote',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: welcome
            send_email: "welcome
          - wait: 2d
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  this " is not closed: end the value with " on the same line, like "welcome"',
    ],
  },
  {
    name: 'an unclosed single quote in a template subject',
    files: {
      'templates/welcome.hbs': dedent`
        ---
        subject: 'Welcome to {{community.name}}
        ---
        <p>Hi!</p>
      `,
    },
    expect: [
      "playbooks/templates/welcome.hbs:2:10  this ' is not closed: end the value with ' on the same line, like 'Welcome to {{community.name}}'",
    ],
  },
];

describe("YAML layout mistakes, in a manager's words", () => {
  it.each(CASES)('$name', ({ files, expect: expected }) => {
    const result = compilePlaybooks(sourcesFrom({ ...BASE_FILES, ...files }));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(expected);
    expect(result.ok).toBe(false);
  });

  it('leaves valid layouts alone: block text, flow over several lines, continued plain text', () => {
    const result = compilePlaybooks(
      sourcesFrom({
        ...BASE_FILES,
        'onboarding.yaml': dedent`
          name: Onboarding
          description: >
            Welcome approved members
              and help them settle in.
          trigger: {
            event: member.approved }
          steps:
            - id: welcome
              send_email: welcome
            - id: nudge
              if: { member.profile.bio: { $exists: false } }
              then:
              - send_email: welcome
              else:
              - wait: 1d
        `,
      }),
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});

// Playbooks folders for the compiler's tests, in memory: compilePlaybooks is pure, so a test names the files it
// needs and nothing touches the disk.

import type { PlaybookSources, SourceFile } from '../../compiler/index.js';

/** Text of a file in a test table, written indented with the code: the common indentation is removed. */
export function dedent(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return lines
    .map((line) => line.slice(common))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

/** `{ 'onboarding.yaml': ..., 'templates/welcome.hbs': ... }` -> the sources of a `playbooks` folder. */
export function sourcesFrom(
  files: Readonly<Record<string, string | null>>,
  root = 'playbooks',
): PlaybookSources {
  const present = Object.entries(files).flatMap(([name, text]): Array<[string, string]> =>
    text === null ? [] : [[name, text]],
  );
  const file = ([name, text]: [string, string]): SourceFile => ({ path: `${root}/${name}`, text });
  const under = (folder: string) =>
    present.filter(([name]) => name.startsWith(folder) && !name.slice(folder.length).includes('/')).map(file);
  return {
    root,
    community: present.filter(([name]) => name === 'community.yaml').map(file)[0] ?? null,
    playbooks: present.filter(([name]) => /^[^/]+\.ya?ml$/.test(name) && name !== 'community.yaml').map(file),
    templates: under('templates/'),
    layouts: under('templates/layouts/'),
    partials: under('templates/partials/'),
  };
}

/** A small community and a few member emails, each with its unsubscribe link: what every case starts from. */
export const BASE_FILES: Readonly<Record<string, string>> = {
  'community.yaml': dedent`
    name: Riverside Running Club
    timezone: Europe/London
    from: "Riverside RC <hello@riverside.example>"
    managers: [organisers@riverside.example]
    postal_address: "1 Park Lane, London"
    delivery:
      quiet_hours: { start: "21:00", end: "08:00" }
  `,
  'templates/welcome.hbs': dedent`
    ---
    subject: Welcome to {{community.name}}
    ---
    <p>Hi {{default member.firstName "there"}}!</p>
    <p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>
  `,
  'templates/event-reminder.hbs': dedent`
    ---
    subject: "Reminder: {{event.title}}"
    ---
    <p>{{event.title}} starts {{formatDateTime event.startsAt}}.</p>
    <p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>
  `,
  'templates/peer-introduction.hbs': dedent`
    ---
    subject: Meet {{peer.firstName}}
    ---
    <p>{{member.firstName}}, meet {{peer.firstName}}.</p>
    <p><a href="{{links.unsubscribe}}">Unsubscribe</a></p>
  `,
};

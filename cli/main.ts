// `tend <command> [args]`: one line per command in COMMANDS; each command's module is loaded only when it runs,
// so `tend validate` does not pay for what `tend dev` needs.

import { parseArgs } from 'node:util';
import { ConfigError } from '../contract/config.js';
import { missingFromDevSettings } from './devSettings.js';

interface Command {
  summary: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
  /** What `tend <command> --help` prints. */
  help(): Promise<string>;
}

const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check the playbooks folder and report every problem [dir] [--json]',
    run: async (args) => (await import('./validate.js')).validateCommand(args),
    help: async () => (await import('./validate.js')).USAGE,
  },
  preview: {
    summary: "show one member's run of a playbook, day by day: <playbook> --member <email|id|file.json>",
    run: async (args) => (await import('./preview.js')).previewCommand(args),
    help: async () => (await import('./preview.js')).HELP,
  },
  runs: {
    summary:
      'list runs with their current step and next wake-up [--member id] [--playbook id] [--status running|closed]',
    run: async (args) => (await import('./runs.js')).runsCommand(args),
    help: async () => (await import('./runs.js')).USAGE,
  },
  stats: {
    summary: "a playbook's funnel per step: <playbook> [--version v] [--from t] [--to t] [--json|--csv]",
    run: async (args) => (await import('./stats.js')).statsCommand(args),
    help: async () => (await import('./stats.js')).STATS_USAGE,
  },
  'console-link': {
    summary: "print a one-click login link for the managers' console (15 minutes, once) [email]",
    run: async (args) => (await import('./consoleLink.js')).consoleLinkCommand(args),
    help: async () => (await import('./consoleLink.js')).USAGE,
  },
  report: {
    summary:
      'community health: retention, attendance, connections, NPS [--from d] [--to d] [--subgroup s] [--json|--csv]',
    run: async (args) => (await import('./report.js')).reportCommand(args),
    help: async () => (await import('./report.js')).REPORT_USAGE,
  },
  backfill: {
    summary: 'fill the member activity history and member.activity from the existing records',
    run: async (args) => (await import('./backfill.js')).backfillCommand(args),
    help: async () => (await import('./backfill.js')).BACKFILL_USAGE,
  },
  schema: {
    summary: 'print the playbook JSON schema, or --write it into a playbooks folder [dir]',
    run: async (args) => (await import('./schema.js')).schemaCommand(args),
    help: async () => (await import('./schema.js')).USAGE,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return [
    'usage: tend <command> [args]',
    '',
    'commands:',
    ...lines,
    '',
    'tend <command> --help says more about one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const { tokens } = parseArgs({
    args: argv,
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  if (first === undefined) {
    const help = tokens.some((token) => token.kind === 'option' && token.name === 'help');
    (help ? console.log : console.error)(usage());
    return help ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, first.value) ? COMMANDS[first.value] : undefined;
  if (command === undefined) {
    console.error(`unknown command "${first.value}"\n\n${usage()}`);
    return 2;
  }
  const args = argv.slice(first.index + 1);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(await command.help());
    return 0;
  }
  try {
    // Every command reads its settings from process.env: fill in what dev chose for what is not set.
    Object.assign(process.env, missingFromDevSettings(process.env));
    return await command.run(args);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`tend: ${error.message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

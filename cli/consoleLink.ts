// `tend console-link [email] [--dir playbooks]`: prints a one-click login link for the managers' console, for
// the first manager in community.yaml (or the one named). It needs TEND_SECRET, as the API that will accept
// the link has it, and PUBLIC_URL (or PORT); `npm run dev` prints one with its own settings (consoleLink).
// The link works once, for 15 minutes, like the ones the console emails.

import { parseArgs } from 'node:util';
import { consoleLoginUrl } from '../domain/links/consoleLogin.js';
import { createLinkSigner } from '../domain/links/signedLinks.js';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../compiler/index.js';

export const USAGE = 'usage: tend console-link [email] [--dir playbooks]';

export type ConsoleLink = { url: string } | { problem: string };

/** A login link for `email` (the first manager by default) with the settings in `env`, or why there is none. */
export async function consoleLink(
  env: NodeJS.ProcessEnv,
  { email: asked, dir }: { email?: string; dir?: string } = {},
): Promise<ConsoleLink> {
  const secret = env.TEND_SECRET?.trim();
  if (!secret) {
    return {
      problem: 'TEND_SECRET is not set: give the value the API runs with (npm run dev keeps it in .data/)',
    };
  }
  const publicUrl = env.PUBLIC_URL?.trim() || `http://localhost:${env.PORT ?? '3000'}`;
  const { community, communityDiagnostics } = compilePlaybooks(
    await readPlaybooksDir(dir ?? env.PLAYBOOKS_DIR ?? './playbooks'),
  );
  if (community === null) {
    return {
      problem: ['community.yaml does not compile:', ...communityDiagnostics.map(formatDiagnostic)].join('\n'),
    };
  }
  const managers = community.settings.managers;
  const email = asked?.toLowerCase() ?? managers[0];
  if (email === undefined || !managers.some((manager) => manager.toLowerCase() === email)) {
    return {
      problem: `${email ?? 'nobody'} is not a manager: list the address under managers in community.yaml (now: ${managers.join(', ') || 'none'})`,
    };
  }
  return { url: consoleLoginUrl(createLinkSigner({ secret, publicUrl }), publicUrl, email) };
}

export async function consoleLinkCommand(args: string[], env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { dir: { type: 'string' } },
  });
  const link = await consoleLink(env, { email: positionals[0], dir: values.dir });
  if ('problem' in link) {
    console.error(link.problem);
    return 1;
  }
  console.log(link.url);
  return 0;
}

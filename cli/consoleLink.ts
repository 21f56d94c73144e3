// `tend console-link [email] [--dir playbooks]`: prints a one-click login link for the managers' console, for
// the first manager in community.yaml (or the one named). It needs TEND_SECRET, as the API that will accept
// the link has it, and PUBLIC_URL (or PORT); `npm run dev` prints one with its own settings. The link works
// once, for 15 minutes, like the ones the console emails.

import { parseArgs } from 'node:util';
import { consoleLoginUrl } from '../domain/links/consoleLogin.js';
import { createLinkSigner } from '../domain/links/signedLinks.js';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../compiler/index.js';

export async function consoleLinkCommand(args: string[], env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { dir: { type: 'string' } },
  });
  const secret = env.TEND_SECRET?.trim();
  if (!secret) {
    console.error(
      'TEND_SECRET is not set: give the value the API runs with (npm run dev keeps it in .data/)',
    );
    return 1;
  }
  const publicUrl = env.PUBLIC_URL?.trim() || `http://localhost:${env.PORT ?? '3000'}`;
  const { community, communityDiagnostics } = compilePlaybooks(
    await readPlaybooksDir(values.dir ?? env.PLAYBOOKS_DIR ?? './playbooks'),
  );
  if (community === null) {
    console.error(
      ['community.yaml does not compile:', ...communityDiagnostics.map(formatDiagnostic)].join('\n'),
    );
    return 1;
  }
  const managers = community.settings.managers;
  const email = positionals[0]?.toLowerCase() ?? managers[0];
  if (email === undefined || !managers.some((manager) => manager.toLowerCase() === email)) {
    console.error(
      `${email ?? 'nobody'} is not a manager: list the address under managers in community.yaml (now: ${managers.join(', ') || 'none'})`,
    );
    return 1;
  }
  console.log(consoleLoginUrl(createLinkSigner({ secret, publicUrl }), publicUrl, email));
  return 0;
}

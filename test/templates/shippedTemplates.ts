// Reads playbooks/templates into the PlanTemplates a plan carries, the way the compiler pins them: every email
// with its front matter, wrapped in layouts/default.hbs, with every partial.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { EmailTemplate, PlanTemplates } from '../../compiler/plan.js';

export const TEMPLATES_DIR = join(import.meta.dirname, '../../playbooks/templates');

function hbsFiles(dir: string): Array<[name: string, source: string]> {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => [basename(file, '.hbs'), readFileSync(join(dir, file), 'utf8')]);
}

function emailTemplate(name: string, source: string): EmailTemplate {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
  if (!match?.[1] || match[2] === undefined) throw new Error(`${name}.hbs has no front matter`);
  const front: unknown = parse(match[1]);
  if (
    typeof front !== 'object' ||
    front === null ||
    !('subject' in front) ||
    typeof front.subject !== 'string'
  ) {
    throw new Error(`${name}.hbs: front matter needs a subject`);
  }
  const preheader = 'preheader' in front && typeof front.preheader === 'string' ? front.preheader : null;
  return { name, subject: front.subject, preheader, html: match[2], layout: 'default' };
}

export function loadShippedTemplates(): PlanTemplates {
  return {
    emails: Object.fromEntries(
      hbsFiles(TEMPLATES_DIR).map(([name, source]) => [name, emailTemplate(name, source)]),
    ),
    layouts: Object.fromEntries(hbsFiles(join(TEMPLATES_DIR, 'layouts'))),
    partials: Object.fromEntries(hbsFiles(join(TEMPLATES_DIR, 'partials'))),
  };
}

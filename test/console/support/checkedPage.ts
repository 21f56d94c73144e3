// A Chromium page that checks itself on every visit: no failed request and no console error, no serious or
// critical axe-core violation, nothing wider than the viewport; and a full-page screenshot kept as a test
// artifact (test-artifacts/console/, gitignored) for a person to look at.

import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const ARTIFACTS_DIR = path.resolve('test-artifacts', 'console');
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface PageProblems {
  /** Requests that failed or answered 4xx/5xx, and console errors, since the page was opened. */
  problems: string[];
}

/** Starts listening for failed requests and console errors on the page. */
export function watchPage(page: Page): PageProblems {
  const watched: PageProblems = { problems: [] };
  page.on('requestfailed', (request) =>
    watched.problems.push(
      `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`,
    ),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) watched.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watched.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.problems.push(`page error: ${error.message}`));
  return watched;
}

export interface Checked {
  /** Serious and critical axe violations, as `rule: what (n nodes)`. */
  violations: string[];
  /** How much wider than the viewport the page is (0: it fits). */
  overflowPx: number;
}

/** Runs axe-core on the page as it is, measures its width, and keeps a screenshot named `name`. */
export async function checkPage(page: Page, name: string): Promise<Checked> {
  await page.addScriptTag({ content: await axeSource });
  // Run in the page, where axe and the DOM live (this project's TypeScript has no DOM types).
  const found: unknown = await page.evaluate(`axe.run().then((result) => result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => violation.id + ': ' + violation.help + ' (' + violation.nodes.map((node) => node.target.join(' ')).join(', ') + ')'))`);
  if (!Array.isArray(found)) throw new Error('axe-core did not run in the page');
  const violations = found.map(String);
  const overflowPx = Number(
    await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
  );
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
  return { violations, overflowPx };
}

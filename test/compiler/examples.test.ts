// The language page's examples compile, as the page shows them and as they ship in playbooks/.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compilePlaybooks, formatDiagnostic, readPlaybooksDir } from '../../compiler/index.js';
import type { CompileResult } from '../../compiler/index.js';
import { LANGUAGE_PAGE_COMMUNITY, LANGUAGE_PAGE_EXAMPLES } from './languageExamples.js';

const FIXTURES = 'test/fixtures/playbooks';

const errorsOf = (result: CompileResult): string[] =>
  result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('the examples of the language page', () => {
  it('are the fixture playbooks, word for word', async () => {
    for (const [name, text] of Object.entries({
      ...LANGUAGE_PAGE_EXAMPLES,
      'community.yaml': LANGUAGE_PAGE_COMMUNITY,
    })) {
      expect(await readFile(path.join(FIXTURES, name), 'utf8')).toBe(text);
    }
  });

  it('compile with the fixture templates, one valid plan each', async () => {
    const result = compilePlaybooks(await readPlaybooksDir(FIXTURES));
    expect(errorsOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.plans.map((plan) => plan.id).sort()).toEqual(
      Object.keys(LANGUAGE_PAGE_EXAMPLES)
        .map((file) => file.replace('.yaml', ''))
        .sort(),
    );
  });

  it('compile without a warning', async () => {
    const result = compilePlaybooks(await readPlaybooksDir(FIXTURES));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});

describe('the shipped playbooks folder', () => {
  it('compiles without errors or warnings: the worker starts without a word about them', async () => {
    const result = compilePlaybooks(await readPlaybooksDir('playbooks'));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('holds the language page examples, each with a plan', async () => {
    const sources = await readPlaybooksDir('playbooks');
    const result = compilePlaybooks(sources);
    for (const [file, text] of Object.entries(LANGUAGE_PAGE_EXAMPLES)) {
      const shipped = sources.playbooks.find((source) => source.path === `playbooks/${file}`);
      // The shipped files add comments and are formatted by Prettier; they say what the page says.
      expect(parse(shipped?.text ?? '')).toEqual(parse(text));
      expect(result.plans.some((plan) => `${plan.id}.yaml` === file)).toBe(true);
    }
  });

  it('holds the weekly digest: one run a week about the community, one email to the managers that reads report', async () => {
    const result = compilePlaybooks(await readPlaybooksDir('playbooks'));
    const digest = result.plans.find((plan) => plan.id === 'weekly-digest');
    expect(digest?.trigger).toEqual({ kind: 'schedule', cron: '0 9 * * MON', timezone: 'Europe/London' });
    expect(digest?.audience).toBeNull();
    expect(
      digest?.steps.map((step) => (step.kind === 'send_email' ? [step.template, step.to] : step.kind)),
    ).toEqual([['weekly-digest', { kind: 'manager' }]]);
    expect(digest?.needs.report).toBe(true);
  });
});

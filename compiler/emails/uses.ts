// One email as one step sends it: what its template, layout and partials read must be there in that step's
// run. The template-level checks ran once for the whole folder (library.ts); this adds what depends on the step.

import type { Diagnostic } from '../diagnostics.js';
import type { RootName } from '../context.js';
import type { EmailSource, TemplateLibrary } from './library.js';
import { LAYOUT_EXTRAS } from './library.js';
import { walkTemplate } from './walk.js';
import type { WalkResult, WalkSetting } from './walk.js';

export interface EmailUse {
  /** What is missing in this step's run (`event` in a run without one). */
  problems: Diagnostic[];
  /** The context roots the email reads: what the run must load before sending it. */
  roots: ReadonlySet<RootName>;
  /** Whether it can show `member.activity.emails7d` (or the peer's): the run must count it before sending. */
  readsEmails7d: boolean;
}

export function checkEmailUse(
  library: TemplateLibrary,
  email: EmailSource,
  setting: Omit<WalkSetting, 'extras'>,
): EmailUse {
  const result: WalkResult = { findings: [], roots: new Set(), partials: new Set(), readsEmails7d: false };
  for (const source of [email.subject, email.preheader, email.body]) {
    if (source) walkTemplate(source, { ...setting, extras: new Map() }, library, result);
  }
  const layout = email.layout === null ? undefined : library.layouts.get(email.layout);
  if (layout) walkTemplate(layout.source, { ...setting, extras: LAYOUT_EXTRAS }, library, result);
  return {
    problems: result.findings.filter((f) => f.kind === 'context').map(({ kind: _kind, ...d }) => d),
    roots: result.roots,
    readsEmails7d: result.readsEmails7d,
  };
}

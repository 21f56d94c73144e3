// An email template file: YAML front matter between two `---` lines, then the Handlebars body.
//
//   ---
//   subject: Welcome to {{community.name}}
//   ---
//   <p>Hi {{member.firstName}}</p>

export type SplitTemplate =
  { ok: true; frontMatter: string; body: string; bodyLine: number } | { ok: false; message: string };

const FENCE = /^---\s*$/;

export function splitFrontMatter(text: string): SplitTemplate {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) {
    return {
      ok: false,
      message: 'an email template starts with front matter: a --- line, subject: ..., and another --- line',
    };
  }
  const close = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (close === -1) return { ok: false, message: 'the front matter is not closed: add a --- line after it' };
  return {
    ok: true,
    frontMatter: lines.slice(1, close).join('\n'),
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 2,
  };
}

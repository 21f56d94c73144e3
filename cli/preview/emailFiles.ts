// `tend preview --out DIR`: every email of the preview as the member would receive it: `.eml` (the raw
// message, built by nodemailer from the same options the sender uses), `.html` and `.txt`.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { PreviewEmail } from '../../preview/simulationRuntime.js';

/** Writes the files; returns their paths, in sending order. */
export async function writeEmailFiles(dir: string, emails: readonly PreviewEmail[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const written: string[] = [];
  for (const [index, email] of emails.entries()) {
    const base = path.join(dir, fileBase(index, email));
    const info = await composer.sendMail(email.message);
    if (!Buffer.isBuffer(info.message))
      throw new Error('nodemailer returned a stream where a buffer was asked for');
    const files: Array<[string, string | Buffer]> = [
      [`${base}.eml`, info.message],
      [`${base}.html`, email.html],
      [`${base}.txt`, email.text],
    ];
    for (const [file, content] of files) {
      await writeFile(file, content);
      written.push(file);
    }
  }
  return written;
}

/** `01-welcome`, `04-peer-introduction-peer`: sending order, template, and who it went to when not the member. */
function fileBase(index: number, email: PreviewEmail): string {
  const template = email.template.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const who = email.recipientKind === 'member' ? '' : `-${email.recipientKind}`;
  return `${String(index + 1).padStart(2, '0')}-${template}${who}`;
}

// The shipped playbooks, with the community's time zone moved to where it is now around noon. Quiet hours
// (21:00-08:00 in community.yaml) hold email to members without a zone of their own, and to the organisers,
// in the community's zone: run in the evening, the journeys would rightly wait until morning. Every other
// byte of the folder is the shipped one.

import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const SHIPPED = fileURLToPath(new URL('../../../playbooks/', import.meta.url));

/** Copies the shipped playbooks into `dir`, with the community's zone set to where it is noon now. */
export async function copyPlaybooksAtNoon(dir: string): Promise<void> {
  await cp(SHIPPED, dir, { recursive: true });
  const file = path.join(dir, 'community.yaml');
  const community = parseDocument(await readFile(file, 'utf8'));
  community.set('timezone', zoneAtNoon(new Date()));
  await writeFile(file, community.toString());
}

/** A fixed-offset zone where `now` is between 12:00 and 13:00 (Etc/GMT-N is N hours ahead of UTC). */
function zoneAtNoon(now: Date): string {
  const ahead = 12 - now.getUTCHours();
  if (ahead === 0) return 'Etc/GMT';
  return ahead > 0 ? `Etc/GMT-${ahead}` : `Etc/GMT+${-ahead}`;
}

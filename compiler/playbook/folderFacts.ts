// What the playbooks of a folder write and send, read from all of them before any one is validated: a
// suggestion in one playbook may only name what another makes true. The attributes `update_member` sets
// (`member.attributes.onboarded` is worth suggesting only when some playbook sets `onboarded`), and who each
// template is sent to (a member email must never be "corrected" into the organisers' email).

import type { SourceFile } from '../sources.js';
import { parseYaml } from '../yaml/yamlFile.js';
import { isPlainObject } from './condition.js';
import { attributeWrittenBy } from './memberWrites.js';

/** Who reads an email: the member, or the organisers (`to: manager` or an address). */
export type Audience = 'members' | 'organisers';

export interface FolderFacts {
  /** Names under `member.attributes` that some playbook's update_member sets. */
  attributes: ReadonlySet<string>;
  /** Template name -> who the steps that send it send it to. */
  audiences: ReadonlyMap<string, ReadonlySet<Audience>>;
}

export function readFolderFacts(playbooks: readonly SourceFile[]): FolderFacts {
  const attributes = new Set<string>();
  const audiences = new Map<string, Set<Audience>>();
  const sent = (template: unknown, audience: Audience): void => {
    if (typeof template !== 'string') return;
    audiences.set(template, new Set([...(audiences.get(template) ?? []), audience]));
  };
  // Steps nest (then, else, do, on_event, on_timeout, on handlers): every mapping of the file is looked at.
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    if (!isPlainObject(value)) return;
    const set = isPlainObject(value.update_member) ? value.update_member.set : undefined;
    for (const key of Object.keys(isPlainObject(set) ? set : {})) {
      const attribute = attributeWrittenBy(key);
      if (attribute !== null) attributes.add(attribute);
    }
    const send = value.send_email;
    if (isPlainObject(send)) sent(send.template, audienceOf(send.to));
    else sent(send, 'members');
    if (isPlainObject(value.introduce)) sent(value.introduce.template, 'members');
    Object.values(value).forEach(visit);
  };
  for (const source of playbooks) {
    const parsed = parseYaml(source);
    if (parsed.ok) visit(parsed.file.value);
  }
  return { attributes, audiences };
}

/** `to` as written: absent or `member` is the member; `manager` or an address, the organisers. */
export function audienceOf(to: unknown): Audience {
  return to === undefined || to === 'member' ? 'members' : 'organisers';
}

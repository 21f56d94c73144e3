// What the API needs to know of the playbooks: community.yaml (the community's name for pages, its forms and
// its webhooks) and the state of every playbook for GET /v1/playbooks.

import type { CommunityConfig } from '../compiler/index.js';

export type { FormConfig, WebhookConfig } from '../compiler/index.js';

export type CommunityView = Pick<CommunityConfig, 'settings' | 'forms' | 'webhooks'>;

export interface PlaybookReport {
  id: string;
  /** The version in service (the last good one when the file does not compile now); null if none ever did. */
  version: string | null;
  enabled: boolean;
  /** Whether the file, as it is now, compiles. */
  valid: boolean;
  /** Every problem, `file:line:col  message`. */
  errors: string[];
}

export interface PlansSource {
  community(): Promise<CommunityView>;
  playbooks(): Promise<PlaybookReport[]>;
}

/** The entry under a name the client chose, never a property inherited from Object.prototype. */
export function ownEntry<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

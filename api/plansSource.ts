// What the API needs to know of the playbooks: community.yaml (the community's name for pages, its forms and
// its webhooks) and the state of every playbook for GET /v1/playbooks.

import type { CommunityConfig } from '../compiler/index.js';
import type { PlaybookReport } from '../domain/plans/planStore.js';

export type { PlaybookReport } from '../domain/plans/planStore.js';

export type { FormConfig, WebhookConfig } from '../compiler/index.js';

export type CommunityView = Pick<CommunityConfig, 'settings' | 'forms' | 'webhooks'>;

export interface PlansSource {
  community(): Promise<CommunityView>;
  playbooks(): Promise<PlaybookReport[]>;
}

/** The entry under a name the client chose, never a property inherited from Object.prototype. */
export function ownEntry<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

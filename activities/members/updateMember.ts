// updateMember: what an `update_member` step writes, checked by the domain's member update rules
// (domain/members/memberUpdate.ts) and written through the record store.

import type { UpdateMemberInput } from '../../contract/activityPayloads.js';
import type { ActivityLogger } from '../../contract/logger.js';
import { memberUpdate } from '../../domain/members/memberUpdate.js';
import type { RecordStore } from '../../domain/records/recordStore.js';

export function createUpdateMember(deps: { store: RecordStore; logger: ActivityLogger }) {
  return async function updateMember({ memberId, request }: UpdateMemberInput): Promise<void> {
    const found = await deps.store.updateMember(String(memberId), memberUpdate(request));
    if (!found) deps.logger.warn({ memberId, stepId: request.stepId }, 'member not found');
  };
}

// When a fault test may count emails: every send the stack started has ended. A claim left open in the
// delivery ledger is an attempt that may still talk to the relay (or a retry of one); once none is open, no
// further copy of any email can come.

import type { StackRecords } from './stackRecords.js';

export async function noSendInFlight(records: StackRecords): Promise<true | undefined> {
  const open = await records.models.deliveries.countDocuments({ status: 'claimed' }).exec();
  return open === 0 ? true : undefined;
}

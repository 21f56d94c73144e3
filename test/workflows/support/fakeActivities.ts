// Stand-ins for Tend's own activities, for fast unit tests of the workflow's plumbing (signals, exits,
// cancellation, continue-as-new). They never replace the real activities in the end-to-end tests.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sentNotRecorded, type SentEmail } from '../../../contract/errors.js';
import type {
  DeliverInput,
  IntroduceInput,
  LoadRecordsInput,
  RecordJournalInput,
  UpdateMemberInput,
} from '../../../contract/activityPayloads.js';
import type { MemberRecord } from '../../../compiler/records.js';
import type { DeliveryOutcome, IntroduceOutcome, LoadedRecords } from '../../../contract/runtime.js';

export interface FakeSend {
  stepId: string;
  occurrence: number;
  template: string;
  /** When the send was made (ms epoch): the time-skipping server's clock, which workflow time follows. */
  at: number;
}

/** A template the stand-in deliver refuses, as the real one refuses an input it cannot render. */
export const UNRENDERABLE = 'unrenderable';
/**
 * A template whose first attempt (in the workflow task) the relay takes but whose record fails; the attempt
 * after it is told what was sent (`handedOver`) and sends nothing.
 */
export const UNRECORDED = 'unrecorded';

export interface FakeOptions {
  /** Reads in the workflow task that fail, the first this many, as with the database away. */
  readsFailingInTask?: number;
}

/** Where each read was made: in the workflow task (`local`) or as an activity task. */
export type ReadAttempt = 'local' | 'activity task';

/** `serverTime`: the time-skipping server's clock (a send's first attempt is a local activity, whose own
 * timestamps are the worker's wall clock, which the server's skips leave behind). */
export function fakeActivities(
  member: MemberRecord,
  serverTime: () => Promise<number>,
  options: FakeOptions = {},
) {
  const sends: FakeSend[] = [];
  const handedOver: (SentEmail | undefined)[] = [];
  const reads: ReadAttempt[] = [];
  let readsToFail = options.readsFailingInTask ?? 0;
  const activities = {
    loadRecords(_input: LoadRecordsInput): Promise<LoadedRecords> {
      const local = Context.current().info.isLocal;
      reads.push(local ? 'local' : 'activity task');
      if (local && readsToFail > 0) {
        readsToFail -= 1;
        return Promise.reject(new Error('the database is away'));
      }
      return Promise.resolve({ member, event: null, rsvp: null, upcomingEvents: [], report: null });
    },
    async deliver({ request, sentEarlier }: DeliverInput): Promise<DeliveryOutcome> {
      const { stepId, occurrence, template } = request;
      const id = `${stepId}#${occurrence}`;
      if (template === UNRENDERABLE)
        throw ApplicationFailure.nonRetryable('cannot render', 'InvalidActivityInput');
      if (template === UNRECORDED && Context.current().info.isLocal) {
        sends.push({ stepId, occurrence, template, at: await serverTime() });
        throw sentNotRecorded({ messageId: `<${id}@test>`, sentAt: 1 }, new Error('the database is away'));
      }
      if (template === UNRECORDED) {
        handedOver.push(sentEarlier);
        return { status: 'sent', deliveryId: id, messageId: sentEarlier?.messageId ?? 'sent again' };
      }
      sends.push({ stepId, occurrence, template, at: await serverTime() });
      return { status: 'sent', deliveryId: id, messageId: `<${id}@test>` };
    },
    updateMember(_input: UpdateMemberInput): Promise<void> {
      return Promise.resolve();
    },
    introduce(_input: IntroduceInput): Promise<IntroduceOutcome> {
      return Promise.resolve({ status: 'skipped', reason: 'nobody fits' });
    },
    recordJournal(_input: RecordJournalInput): Promise<void> {
      return Promise.resolve();
    },
  };
  return { activities, sends, handedOver, reads };
}

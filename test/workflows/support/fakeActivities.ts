// Stand-ins for Tend's own activities, for fast unit tests of the workflow's plumbing (signals, exits,
// cancellation, continue-as-new). They never replace the real activities in the end-to-end tests.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
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
  /** Workflow time (ms epoch) at which the send was scheduled: the time-skipping server's clock. */
  at: number;
}

/** A template the stand-in deliver refuses, as the real one refuses an input it cannot render. */
export const UNRENDERABLE = 'unrenderable';

export function fakeActivities(member: MemberRecord) {
  const sends: FakeSend[] = [];
  const workflowTime = () => Context.current().info.currentAttemptScheduledTimestampMs;
  const activities = {
    loadRecords(_input: LoadRecordsInput): Promise<LoadedRecords> {
      return Promise.resolve({ member, event: null, rsvp: null, upcomingEvents: [], report: null });
    },
    deliver({ request }: DeliverInput): Promise<DeliveryOutcome> {
      const { stepId, occurrence, template } = request;
      if (template === UNRENDERABLE)
        return Promise.reject(ApplicationFailure.nonRetryable('cannot render', 'InvalidActivityInput'));
      sends.push({ stepId, occurrence, template, at: workflowTime() });
      const id = `${stepId}#${occurrence}`;
      return Promise.resolve({ status: 'sent', deliveryId: id, messageId: `<${id}@test>` });
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
  return { activities, sends };
}

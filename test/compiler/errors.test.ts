// The errors a manager sees, exactly as `tend validate` prints them: file, line, column and message. Each case
// starts from a small valid folder (BASE_FILES) and replaces or adds the files it names (null removes one).

import { describe, expect, it } from 'vitest';
import { compilePlaybooks, formatDiagnostic } from '../../compiler/index.js';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../compiler/diagnostics.js';
import { BASE_FILES, dedent, sourcesFrom } from './sources.js';

interface ErrorCase {
  name: string;
  files: Record<string, string | null>;
  /** Every line the compile reports, errors and warnings, in order. */
  expect: string[];
}

const CASES: ErrorCase[] = [
  {
    name: 'a key written twice',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - send_email: welcome
      steps:
        - wait: 1d
    `,
    },
    expect: ['playbooks/onboarding.yaml:5:1  "steps" appears twice in the same mapping: keep one'],
  },
  {
    name: 'a tab used to indent',
    files: { 'onboarding.yaml': 'name: Onboarding\ntrigger:\n\tevent: member.approved\nsteps: []\n' },
    expect: ['playbooks/onboarding.yaml:3:1  indent with spaces, not tabs: start this line with 2 spaces'],
  },
  {
    name: 'a { that is never closed',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:3:1  a { above is not closed: end it with } (or indent this line further)',
    ],
  },
  {
    name: 'a YAML tag',
    files: {
      'onboarding.yaml': dedent`
      name: !Ref OnboardingName
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: ['playbooks/onboarding.yaml:1:7  tags such as !Ref are not used here: write the value plainly'],
  },
  {
    name: 'two documents in one file',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
      ---
      name: Second
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:1  one document per file: remove this "---" and what follows, or move it to a file of its own',
    ],
  },
  {
    name: 'YAML syntax errors are reported alone',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_mail: welcome
        - wait: "3 days
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:11  this " is not closed: end the value with " on the same line, like "3 days"',
    ],
  },
  {
    name: 'a misspelt step (the language page example)',
    files: {
      'onboarding.yaml': dedent`
      name: New member onboarding
      description: Welcome approved members and help them finish their profile.
      trigger: { event: member.approved }
      exit:
        - event: member.left
        - if: { member.status: { $in: [left, banned] } }
      steps:
        - id: welcome
          send_email: welcome
        - wait: 2d
        - id: profile-nudge
          if: { member.profile.bio: { $exists: false } }
          then:
          - send_mail: welcome
    `,
    },
    expect: ['playbooks/onboarding.yaml:14:7  unknown step "send_mail" (did you mean "send_email"?)'],
  },
  {
    name: 'every error of a file at once',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcom
        - wait: 3 days
        - id: nudge
          if: { member.profile.bio: { $exist: false } }
          then:
            - send_mail: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "welcom" not found in playbooks/templates (did you mean "welcome"?)',
      'playbooks/onboarding.yaml:6:11  "3 days" is not a duration: write 3d',
      'playbooks/onboarding.yaml:8:33  operator "$exist" is not allowed in a condition (did you mean "$exists"?)',
      'playbooks/onboarding.yaml:10:9  unknown step "send_mail" (did you mean "send_email"?)',
    ],
  },
  {
    name: 'a misspelt top-level field',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      stpes:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: ['playbooks/onboarding.yaml:3:1  unknown field "stpes" in the playbook (did you mean "steps"?)'],
  },
  {
    name: 'no trigger',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:1:1  the playbook needs trigger (what starts a run: { event: member.approved } or { schedule: "0 10 * * *" })',
    ],
  },
  {
    name: 'a misspelt trigger key',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { evnt: member.approved }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: ['playbooks/onboarding.yaml:2:12  unknown trigger "evnt" (did you mean "event"?)'],
  },
  {
    name: 'a trigger with both event and schedule',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved, schedule: "0 10 * * *" }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:2:36  this trigger has both "event" and "schedule", and can only be one of them',
    ],
  },
  {
    name: 'an event type in capitals',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: Member.Approved }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:2:19  "Member.Approved" is not an event type: lowercase words joined by dots, like member.approved',
    ],
  },
  {
    name: 'a wait without a unit',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - wait: 3
        - id: welcome
          send_email: welcome
    `,
    },
    expect: ['playbooks/onboarding.yaml:4:11  wait must be a duration like 30m, 2h, 3d or 1w'],
  },
  {
    name: 'a misspelt category',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: { template: welcome, category: survey }
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:48  category "survey" is not one of transactional, events, community, surveys (did you mean "surveys"?)',
    ],
  },
  {
    name: 'a misspelt send_email field',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: { tempalte: welcome }
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:19  unknown field "tempalte" in send_email (did you mean "template"?)',
    ],
  },
  {
    name: 'two steps in one',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          wait: 1d
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:5  this step has both "wait" and "send_email", and can only be one of them',
    ],
  },
  {
    name: 'a step that is only a word',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - wait
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:5  this step must be a mapping like send_email: welcome or wait: 3d',
    ],
  },
  {
    name: 'an if step without then',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
        - if: { member.profile.bio: { $exists: false } }
          else:
            - exit: has a bio
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:5  this if step needs then (the steps to run when the condition holds)',
    ],
  },
  {
    name: 'an update_member that updates nothing',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
        - update_member: {}
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:20  update_member needs at least one of set, add_tags, remove_tags',
    ],
  },
  {
    name: 'a misspelt reentry',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      reentry: onse
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:3:10  reentry "onse" is not one of once, always (did you mean "once"?)',
    ],
  },
  {
    name: 'an exit entry that is only a word',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      exit:
        - member.left
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:5  this exit entry must be a mapping: { event: member.left } or { if: condition }',
    ],
  },
  {
    name: 'a step id with a space',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: Say Welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:9  "Say Welcome" is not an id: letters, digits, - and _, like week-before',
    ],
  },
  {
    name: 'an on handler for an event type in capitals',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      on:
        Member.Left:
          - exit: left
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:3  "Member.Left" is not an event type: lowercase words joined by dots, like member.approved',
    ],
  },
  {
    name: 'a duration in words (the language page example)',
    files: {
      'reminders.yaml': dedent`
      name: Reminders
      trigger: { event: rsvp.created, key: eventId }
      steps:
        - id: day-before
          at: { time: event.startsAt, offset: -1d }
          do:
            - send_email: event-reminder
        - id: after
          wait_for: { event: survey.responded, timeout: 3 days }
    `,
    },
    expect: ['playbooks/reminders.yaml:9:51  "3 days" is not a duration: write 3d'],
  },
  {
    name: 'a negative wait',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - wait: -1d
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:11  "-1d" is negative: only an offset from a time can be, like offset: -1d',
    ],
  },
  {
    name: 'a duration in months',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      reentry: { after: P1M }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:3:19  "P1M" is not a fixed length: months and years vary, so write days, like 30d',
    ],
  },
  {
    name: 'a $where operator',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      exit:
        - if: { $where: "this.status == 'left'" }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:11  operator "$where" is not allowed in a condition: use $eq $ne $gt $gte $lt $lte $in $nin $exists $size $and $or $nor $not $before $within',
    ],
  },
  {
    name: 'a misspelt operator',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: nudge
          if: { member.profile.bio: { $exist: false } }
          then:
            - send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:33  operator "$exist" is not allowed in a condition (did you mean "$exists"?)',
    ],
  },
  {
    name: 'a $regex in an audience',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { schedule: "0 10 * * *" }
      audience: { members: { email: { $regex: "@example.org$" } } }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:3:33  operator "$regex" is not allowed in a condition: use $eq $ne $gt $gte $lt $lte $in $nin $exists $size $and $or $nor $not $before $within',
    ],
  },
  {
    name: 'a misspelt field in a condition',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: nudge
          if: { member.profil.bio: { $exists: false } }
          then:
            - send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:11  "member.profil.bio" is not a field of a member (did you mean "member.profile.bio"?)',
    ],
  },
  {
    name: 'a misspelt root in an exit condition',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      exit:
        - if: { membr.status: left }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:11  "membr.status" names nothing a run can see (did you mean "member.status"?)',
    ],
  },
  {
    name: 'event in a playbook whose runs have none',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      exit:
        - if: { event.status: cancelled }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:11  "event.status" needs the run\'s event, which runs started by member.approved do not have',
    ],
  },
  {
    name: 'received outside an on handler',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: check
          if: { received.type: member.active }
          then:
            - send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:11  "received.type" is the event that just arrived, which only on handlers and wait_for.on_event have',
    ],
  },
  {
    name: '$before on a field that is not a date',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: check
          if: { member.status: { $before: 14d } }
          then:
            - send_email: welcome
    `,
    },
    expect: ['playbooks/onboarding.yaml:5:28  $before compares dates, and "member.status" is not one'],
  },
  {
    name: 'a field operator at the top of a condition',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: check
          if: { $gt: 3 }
          then:
            - send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:11  $gt compares a field: write it under one, like { member.status: { $gt: ... } }',
    ],
  },
  {
    name: 'a misspelt template (the language page example)',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcom
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "welcom" not found in playbooks/templates (did you mean "welcome"?)',
    ],
  },
  {
    name: 'an email that reads event, sent in a run without one',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: remind
          send_email: event-reminder
    `,
    },
    expect: [
      'playbooks/templates/event-reminder.hbs:2:23  "event.title" needs the run\'s event, which runs started by member.approved do not have (step "remind" sends this email)',
      'playbooks/templates/event-reminder.hbs:4:6  "event.title" needs the run\'s event, which runs started by member.approved do not have (step "remind" sends this email)',
      'playbooks/templates/event-reminder.hbs:4:44  "event.startsAt" needs the run\'s event, which runs started by member.approved do not have (step "remind" sends this email)',
    ],
  },
  {
    name: 'an email that reads peer, sent by send_email',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: intro
          send_email: peer-introduction
    `,
    },
    expect: [
      'playbooks/templates/peer-introduction.hbs:2:17  "peer.firstName" is the member being introduced, which only an introduce email has (step "intro" sends this email)',
      'playbooks/templates/peer-introduction.hbs:4:33  "peer.firstName" is the member being introduced, which only an introduce email has (step "intro" sends this email)',
    ],
  },
  {
    name: 'a step id used twice',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
        - wait: 1d
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:7:9  id "welcome" is used twice: ids name steps in reports, so each must be unique',
    ],
  },
  {
    name: 'a step after exit',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
        - exit: done
        - wait: 1d
    `,
    },
    expect: ['playbooks/onboarding.yaml:7:5  this step never runs: the exit step above it ends the run'],
  },
  {
    name: 'a community playbook (a schedule without an audience) that sends to and reads a member',
    files: {
      'digest.yaml': dedent`
      name: Digest
      trigger: { schedule: "0 10 * * MON" }
      steps:
        - id: welcome
          send_email: welcome
        - id: active
          if: { member.status: active }
          then:
            - id: tag
              update_member: { set: { attributes.digest: true } }
    `,
    },
    expect: [
      'playbooks/digest.yaml:5:17  a schedule without an audience runs about the community and has no member to send to: write to: manager or to an email address',
      'playbooks/digest.yaml:7:11  "member.status" is the run\'s member, and a schedule without an audience runs about the community and has none: read report, community or run instead, or add an audience to run once per member',
      'playbooks/digest.yaml:10:9  a schedule without an audience runs about the community and has no member to update: add an audience to run once per member',
      'playbooks/templates/welcome.hbs:4:17  "member.firstName" is the run\'s member, and a schedule without an audience runs about the community and has none (step "welcome" sends this email): read report, community or run instead, or add an audience to run once per member',
    ],
  },
  {
    name: 'a community playbook with a goal, an exit event and an on handler, which no event reaches',
    files: {
      'digest.yaml': dedent`
      name: Digest
      trigger: { schedule: "0 10 * * MON" }
      goal: { name: Came back, event: member.active, within: 7d }
      exit:
        - event: member.left
      on:
        member.active:
          - wait: 1d
      steps:
        - wait: 1d
    `,
    },
    expect: [
      'playbooks/digest.yaml:3:1  a schedule without an audience runs about the community and has no member to reach a goal: remove the goal, or add an audience to run once per member',
      'playbooks/digest.yaml:5:12  a schedule without an audience runs about the community and no event reaches its run: remove this, or add an audience to run once per member',
      'playbooks/digest.yaml:7:3  a schedule without an audience runs about the community and no event reaches its run: remove this, or add an audience to run once per member',
    ],
  },
  {
    name: 'a member playbook that reads the report',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: stats
          if: { report.figures.nps.value: { $gt: 50 } }
          then:
            - id: welcome
              send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:11  "report.figures.nps.value" is the community\'s weekly report, which only a schedule without an audience has: runs about a member read member instead',
    ],
  },
  {
    name: 'a cron schedule out of range and a misspelt time zone',
    files: {
      'digest.yaml': dedent`
      name: Digest
      trigger: { schedule: "0 25 * * *", timezone: Europe/Londn }
      audience: { members: { status: active } }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/digest.yaml:2:22  "0 25 * * *" is not a cron schedule (got value 25 expected range 0-23): write minute hour day month weekday, like "0 10 * * *"',
      'playbooks/digest.yaml:2:46  "Europe/Londn" is not a time zone (did you mean "Europe/London"?)',
    ],
  },
  {
    name: 'a cron schedule with seconds',
    files: {
      'digest.yaml': dedent`
      name: Digest
      trigger: { schedule: "0 0 10 * * *" }
      audience: { members: { status: active } }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/digest.yaml:2:22  a cron schedule has 5 fields (minute hour day month weekday), like "0 10 * * *"; this one has 6',
    ],
  },
  {
    name: 'an rsvps audience without key: eventId',
    files: {
      'feedback.yaml': dedent`
      name: Feedback
      trigger: { event: event.ended }
      audience: { rsvps: { attended: true } }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      "playbooks/feedback.yaml:3:13  rsvps are the RSVPs of the trigger's event: the trigger needs key: eventId",
    ],
  },
  {
    name: 'a member event with an audience',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      audience: { members: { status: active } }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:3:1  member.approved names one member and starts a run for them: remove the audience',
    ],
  },
  {
    name: 'an event.ended trigger without an audience',
    files: {
      'feedback.yaml': dedent`
      name: Feedback
      trigger: { event: event.ended, key: eventId }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/feedback.yaml:2:19  event.ended is about an event, not a member: add an audience, like audience: { rsvps: { status: going } }',
    ],
  },
  {
    name: 'wait_until on a field that is not a date',
    files: {
      'reminders.yaml': dedent`
      name: Reminders
      trigger: { event: rsvp.created, key: eventId }
      steps:
        - id: before
          wait_until: { time: event.status, offset: -1d }
        - id: remind
          send_email: event-reminder
    `,
    },
    expect: [
      'playbooks/reminders.yaml:5:25  "event.status" is not a date: name one, like event.startsAt or member.joinedAt',
    ],
  },
  {
    name: 'to: manager without managers in community.yaml',
    files: {
      'community.yaml': dedent`
      name: Riverside Running Club
      timezone: Europe/London
      from: hello@riverside.example
      postal_address: "1 Park Lane, London"
    `,
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: tell
          send_email: { template: welcome, to: manager }
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:42  to: manager sends to the managers of community.yaml, which lists none: add managers: [...] there',
    ],
  },
  {
    name: 'a misspelt recipient',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: tell
          send_email: { template: welcome, to: managers }
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:42  to "managers" is not member, manager or an email address (did you mean "manager"?)',
    ],
  },
  {
    name: 'on_timeout without a timeout',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: first-week
          wait_for: { event: member.active }
          on_timeout:
            - id: welcome
              send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:6:5  on_timeout never runs without a timeout: add one, like timeout: 3d',
    ],
  },
  {
    name: 'update_member writing email',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - update_member: { set: { email: x@example.org, onboarded: true } }
    `,
    },
    expect: ['playbooks/onboarding.yaml:4:29  a playbook cannot change email'],
  },
  {
    name: 'update_member writing values of the wrong kind',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - update_member:
              set: { name: 5, status: activ, joinedAt: yesterday, name.first: x, nmae: Sam }
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:14  name must be text, or null to remove it',
      'playbooks/onboarding.yaml:5:23  status must be one of applied, active, declined, left, banned (did you mean "active"?)',
      'playbooks/onboarding.yaml:5:38  joinedAt must be a time like 2026-03-14T18:30:00Z, or null to remove it',
      'playbooks/onboarding.yaml:5:59  "name.first": name has no fields to write',
      'playbooks/onboarding.yaml:5:74  warning: "nmae" is not a member field, so it is kept as attributes.nmae (did you mean "name"?)',
    ],
  },
  {
    name: 'update_member writing a field and a field inside it, and tags both ways',
    files: {
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - update_member: { set: { onboarded: true, attributes: null } }
          - update_member: { set: { tags: [new] }, remove_tags: [old] }
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:22  set writes both attributes and attributes.onboarded, which is inside it: write one of them',
      'playbooks/onboarding.yaml:5:29  set tags, or add_tags and remove_tags, not both: they would undo each other',
    ],
  },
  {
    name: 'introduce matching a misspelt member field',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: intro
          introduce: { match: { same: [interest] }, template: peer-introduction }
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:34  "interest" is not a field of a member (did you mean "interests"?)',
    ],
  },
  {
    name: 'a template without front matter',
    files: {
      'templates/welcome.hbs': '<p>Hi {{member.firstName}}</p>\n',
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "welcome" has errors: see playbooks/templates/welcome.hbs',
      'playbooks/templates/welcome.hbs:1:1  an email template starts with front matter: a --- line, subject: ..., and another --- line',
    ],
  },
  {
    name: 'a template without a subject',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      preheader: Hello
      ---
      <p>Hi</p>
    `,
    },
    expect: [
      'playbooks/templates/welcome.hbs:2:1  the front matter needs subject (the subject line, in Handlebars)',
    ],
  },
  {
    name: 'a misspelt helper',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome
      ---
      <p>Joined {{formatdate member.joinedAt}}</p>
    `,
    },
    expect: [
      'playbooks/templates/welcome.hbs:4:13  unknown helper "formatdate" (did you mean "formatDate"?)',
    ],
  },
  {
    name: 'a misspelt partial',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome
      ---
      <p>Hi</p>
      {{> fotoer}}
    `,
      'templates/partials/footer.hbs': '<p>{{community.postal_address}}</p>\n',
    },
    expect: [
      'playbooks/templates/welcome.hbs:5:5  partial "fotoer" not found in playbooks/templates/partials (did you mean "footer"?)',
    ],
  },
  {
    name: 'a block that is never closed',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome
      ---
      {{#if member.firstName}}
      <p>Hi {{member.firstName}}</p>
    `,
    },
    expect: [
      'playbooks/templates/welcome.hbs:6:1  the template ends before a {{#block}} is closed: add its {{/block}}',
    ],
  },
  {
    name: 'a block closed by another',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome
      ---
      {{#if member.firstName}}<p>Hi {{member.firstName}}</p>{{/each}}
    `,
    },
    expect: ['playbooks/templates/welcome.hbs:4:1  {{/each}} closes {{#if}}: write {{/if}}'],
  },
  {
    name: 'a subject that starts with {{ unquoted',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: {{community.name}} welcomes you
      ---
      <p>Hi</p>
    `,
    },
    expect: [
      'playbooks/templates/welcome.hbs:2:10  a value that starts with {{ must be in quotes, like subject: "{{member.firstName}}, welcome"',
    ],
  },
  {
    name: 'a layout without {{{body}}}',
    files: {
      'templates/layouts/default.hbs': '<html><body>{{> footer}}</body></html>\n',
      'templates/partials/footer.hbs': '<p>{{community.postal_address}}</p>\n',
    },
    expect: [
      'playbooks/templates/layouts/default.hbs:1:1  this layout never shows the email: put {{{body}}} where the body goes',
    ],
  },
  {
    name: 'a layout with {{body}}',
    files: { 'templates/layouts/default.hbs': '<html><body>{{body}}</body></html>\n' },
    expect: [
      'playbooks/templates/layouts/default.hbs:1:13  write {{{body}}} with three braces: {{body}} would show the HTML as text',
    ],
  },
  {
    name: 'unescaped output in an email',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome
      ---
      <p>{{{member.profile.bio}}}</p>
    `,
    },
    expect: [
      'playbooks/templates/welcome.hbs:4:4  {{{member.profile.bio}}} inserts HTML unescaped: write {{member.profile.bio}}',
    ],
  },
  {
    name: 'misspelt fields in a subject and inside #each',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome {{member.nmae}}
      ---
      <p>{{#each upcoming_events}}{{titel}}{{/each}}</p>
    `,
    },
    expect: [
      'playbooks/templates/welcome.hbs:2:20  "member.nmae" is not a field of a member (did you mean "member.name"?)',
      'playbooks/templates/welcome.hbs:4:31  "titel" is not a field of an event (did you mean "title"?)',
    ],
  },
  {
    name: 'survey links without a score from 0 to 10, in a run without an event',
    files: {
      'templates/survey.hbs': dedent`
        ---
        subject: How was it?
        ---
        <a href="{{surveyUrl score=11}}">11</a> <a href="{{surveyUrl score=10}}">10</a>
      `,
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        steps:
          - id: survey
            send_email: survey
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:5:17  template "survey" does not compile: fix playbooks/templates/survey.hbs',
      'playbooks/templates/survey.hbs:4:12  surveyUrl takes a score from 0 to 10, like {{surveyUrl score=9}}',
    ],
  },
  {
    name: 'a survey link in a run without an event',
    files: {
      'templates/survey.hbs': '---\nsubject: How was it?\n---\n<a href="{{surveyUrl score=10}}">10</a>\n',
      'onboarding.yaml': dedent`
        name: Onboarding
        trigger: { event: member.approved }
        exit:
          - if: { run.id: x }
        steps:
          - id: survey
            send_email: survey
      `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:11  "run.id" is not a field of a run: a run has playbook, version, startedAt',
      'playbooks/templates/survey.hbs:4:12  "surveyUrl" needs the run\'s event, which runs started by member.approved do not have (step "survey" sends this email)',
    ],
  },
  {
    name: 'a layout that does not exist',
    files: {
      'templates/welcome.hbs': dedent`
      ---
      subject: Welcome
      layout: fancy
      ---
      <p>Hi</p>
    `,
    },
    expect: ['playbooks/templates/welcome.hbs:3:9  layout "fancy" not found in playbooks/templates/layouts'],
  },
  {
    name: 'no community.yaml',
    files: { 'community.yaml': null },
    expect: [
      'playbooks/community.yaml:1:1  community.yaml is missing: every playbooks folder needs one, with name, timezone, from and postal_address',
    ],
  },
  {
    name: 'community.yaml with a misspelt time zone and a sender without an address',
    files: {
      'community.yaml': dedent`
      name: Riverside Running Club
      timezone: Europe/Londn
      from: Riverside RC
      postal_address: "1 Park Lane, London"
    `,
    },
    expect: [
      'playbooks/community.yaml:2:11  "Europe/Londn" is not a time zone (did you mean "Europe/London"?)',
      'playbooks/community.yaml:3:7  "Riverside RC" is not an email address: write one like hello@example.org or "Name <hello@example.org>"',
    ],
  },
  {
    name: 'community.yaml with empty quiet hours, a form without email, a webhook field that does not exist',
    files: {
      'community.yaml': dedent`
      name: Riverside Running Club
      timezone: Europe/London
      from: hello@riverside.example
      postal_address: "1 Park Lane, London"
      delivery:
        quiet_hours: { start: "21:00", end: "21:00" }
      forms:
        join:
          event: member.applied
          member: { name: name, notes: profile.notes }
      webhooks:
        tally:
          secret_env: TALLY_SECRET
          event: survey.responded
          map: { mail: data.email, data.score: data.answers.nps }
    `,
    },
    expect: [
      'playbooks/community.yaml:6:16  quiet hours start and end at the same time: give them a length, like 21:00 to 08:00',
      "playbooks/community.yaml:10:13  a form must fill the member's email: map one of its fields to email, like { email: email }",
      'playbooks/community.yaml:15:12  "mail" is not an event field (did you mean "email"?): map email, memberId, eventId, id, occurredAt or data.<field>',
    ],
  },
  {
    name: 'a top-level send_email without an id (a warning)',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:4:5  warning: add an id, like id: welcome, so reports and sends stay stable when you reorder steps',
    ],
  },
  {
    name: 'a near miss of a known event type (a warning)',
    files: {
      'onboarding.yaml': dedent`
      name: Onboarding
      trigger: { event: member.aproved }
      steps:
        - id: welcome
          send_email: welcome
    `,
    },
    expect: [
      'playbooks/onboarding.yaml:2:19  warning: "member.aproved" is not an event type Tend knows (did you mean "member.approved"?): it only matches events sent with exactly this type',
    ],
  },
  {
    name: 'file names that cannot be playbook ids',
    files: {
      'New Members.yaml': dedent`
      name: Onboarding
      trigger: { event: member.approved }
      steps:
        - id: welcome
          send_email: welcome
    `,
      'welcome.yml': 'name: x\n',
    },
    expect: [
      'playbooks/New Members.yaml:1:1  "New Members" cannot be a playbook id: rename the file with lowercase letters, digits and -, starting with a letter',
      'playbooks/welcome.yml:1:1  rename welcome.yml to welcome.yaml: playbooks are .yaml files',
      'playbooks/welcome.yml:1:1  the playbook needs steps (the steps of a run, in order)',
      'playbooks/welcome.yml:1:1  the playbook needs trigger (what starts a run: { event: member.approved } or { schedule: "0 10 * * *" })',
    ],
  },
  {
    name: 'an empty playbook',
    files: { 'onboarding.yaml': '# nothing yet\n' },
    expect: [
      'playbooks/onboarding.yaml:1:1  the playbook needs name (the name shown in reports)',
      'playbooks/onboarding.yaml:1:1  the playbook needs steps (the steps of a run, in order)',
      'playbooks/onboarding.yaml:1:1  the playbook needs trigger (what starts a run: { event: member.approved } or { schedule: "0 10 * * *" })',
    ],
  },
];

describe('what a manager sees when a file is wrong', () => {
  it.each(CASES)('$name', ({ files, expect: expected }) => {
    const result = compilePlaybooks(sourcesFrom({ ...BASE_FILES, ...files }));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(expected);
    expect(result.ok).toBe(expected.every((line) => line.includes('  warning: ')));
  });

  it('the table covers at least forty broken files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it('lists at most fifty problems of one file, then counts the rest', () => {
    const waits = Array.from({ length: 60 }, (_, index) => `  - wait: ${index + 1} days`).join('\n');
    const result = compilePlaybooks(
      sourcesFrom({
        ...BASE_FILES,
        'onboarding.yaml': `name: Onboarding\ntrigger: { event: member.approved }\nsteps:\n${waits}\n`,
      }),
    );
    const lines = result.diagnostics.map(formatDiagnostic);
    expect(lines).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(lines[0]).toBe('playbooks/onboarding.yaml:4:11  "1 days" is not a duration: write 1d');
    expect(lines.at(-1)).toBe('playbooks/onboarding.yaml:54:11  ... and 10 more in this file');
  });

  it('keeps the last good plan out of a file that does not validate: no plan, every error', () => {
    const result = compilePlaybooks(
      sourcesFrom({
        ...BASE_FILES,
        'onboarding.yaml': dedent`
          name: Onboarding
          trigger: { event: member.approved }
          steps:
            - wait: soon
        `,
      }),
    );
    expect(result.playbooks).toEqual([
      {
        id: 'onboarding',
        file: 'playbooks/onboarding.yaml',
        plan: null,
        diagnostics: [
          {
            file: 'playbooks/onboarding.yaml',
            line: 4,
            col: 11,
            message: '"soon" is not a duration: write a number and a unit, like 30m, 2h, 3d or 1w',
            severity: 'error',
          },
        ],
      },
    ]);
  });
});

// The five example playbooks of the playbook language page, verbatim. They ship, validate, and are the first
// thing a new user reads, so they are compiled exactly as the page shows them.

export const LANGUAGE_PAGE_EXAMPLES: Readonly<Record<string, string>> = {
  'onboarding.yaml': `name: New member onboarding
description: Welcome approved members, help them finish their profile, and introduce them to a peer.
trigger: { event: member.approved }
goal:
  name: Came to a first event
  event: rsvp.updated
  if: { received.data.attended: true }
  within: 30d
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
      - send_email: complete-profile
  - wait: 3d
  - id: first-introduction
    introduce: { match: { same: [interests] }, template: peer-introduction }
  - id: first-week
    wait_for: { event: member.active, timeout: 7d }
    on_timeout:
      - send_email: first-week-checkin
  - wait: 23d
  - id: thirty-day-survey
    send_email: { template: thirty-day-survey, category: surveys }
`,
  'event-reminders.yaml': `name: Event reminders
description: Confirm an RSVP and remind the member a week, a day and an hour before the event.
trigger: { event: rsvp.created, key: eventId }
exit:
  - event: rsvp.cancelled
  - event: event.cancelled
  - if: { event.status: cancelled }
on:
  event.updated:
    - id: time-changed
      if: { received.data.changed: { $in: [startsAt] } }
      then:
        - send_email: { template: event-time-changed, category: transactional }
steps:
  - id: confirmation
    send_email: { template: rsvp-confirmation, category: transactional }
  - id: week-before
    at: { time: event.startsAt, offset: -7d }
    do:
      - send_email: { template: event-reminder, category: events }
  - id: day-before
    at: { time: event.startsAt, offset: -1d }
    do:
      - send_email: { template: event-reminder, category: events }
  - id: hour-before
    at: { time: event.startsAt, offset: -1h }
    do:
      - send_email: { template: event-starting-soon, category: transactional, quiet_hours: false }
`,
  'event-feedback.yaml': `name: Post-event feedback
description: Ask attendees how likely they are to recommend the event, once, with one reminder.
trigger: { event: event.ended, key: eventId }
audience: { rsvps: { attended: true } }
steps:
  - wait: 2h
  - id: survey
    send_email: { template: event-survey, category: surveys }
  - id: survey-answered
    wait_for: { event: survey.responded, timeout: 3d }
    on_timeout:
      - send_email: { template: event-survey-reminder, category: surveys }
`,
  're-engagement.yaml': `name: Re-engage quiet members
description: Nudge members who have gone quiet for a month; tell the organisers if they stay quiet.
trigger: { schedule: "0 10 * * *" }
audience: { members: { status: active, lastActiveAt: { $before: 30d } } }
reentry: { after: 90d }
goal: { name: Came back, event: member.active, within: 14d }
exit:
  - event: member.active
  - event: member.left
steps:
  - id: miss-you
    send_email: we-miss-you
  - wait: 7d
  - id: upcoming
    send_email: upcoming-events
  - wait: 7d
  - id: tell-organisers
    send_email: { template: quiet-member, to: manager }
`,
  'application-review.yaml': `name: Review join requests
description: Acknowledge each application, ask the organisers to decide, chase them, answer the applicant.
trigger: { event: member.applied }
on:
  member.declined:
    - id: declined
      send_email: { template: application-declined, category: transactional }
exit:
  - event: member.approved          # onboarding.yaml takes over from here
  - event: member.declined          # after the handler above has answered the applicant
steps:
  - id: acknowledge
    send_email: { template: application-received, category: transactional }
  - id: ask-organisers
    send_email: { template: review-application, to: manager }
  - id: decision
    wait_for: { event: [member.approved, member.declined], timeout: 2d }
    on_timeout:
      - send_email: { template: review-application-reminder, to: manager }
      - wait_for: { event: [member.approved, member.declined], timeout: 28d }
`,
};

/** The community.yaml of the language page, verbatim. */
export const LANGUAGE_PAGE_COMMUNITY = `name: Riverside Running Club
timezone: Europe/London              # default for members without one
from: "Riverside RC <hello@riverside.example>"
reply_to: organisers@riverside.example   # optional
managers: [organisers@riverside.example] # recipients of \`to: manager\`
postal_address: "1 Park Lane, London"    # shown in every email footer (CAN-SPAM)
delivery:
  quiet_hours: { start: "21:00", end: "08:00" }   # member's local time; sends wait, never drop
  frequency_cap: { max: 3, per: 7d }              # emails per member across all playbooks
forms:                                    # public HTML forms: POST /v1/forms/<name>
  join:
    event: member.applied
    member: { email: email, name: name, interests: interests }   # form field -> member field
    redirect: https://riverside.example/thanks
webhooks:                                 # signed third-party webhooks: POST /v1/webhooks/<name>
  tally:
    secret_env: TALLY_WEBHOOK_SECRET      # Standard Webhooks signing secret, read from the environment
    event: survey.responded
    map: { email: data.respondent.email, eventId: data.hidden.event_id, data.score: data.answers.nps }
`;

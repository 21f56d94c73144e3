// The interpreter core, driven by a scripted runtime: virtual time, scripted events and record changes.
import { describe, expect, it } from 'vitest';
import type { Plan, Step } from '../../compiler/plan.js';
import { MAX_DELIVERY_ATTEMPTS, runPlan } from '../../workflows/core/interpreter.js';
import { MAX_STEP_RECORDS } from '../../workflows/core/runState.js';
import type { DeliveryOutcome, DeliveryRequest, RunInput, RunResult } from '../../contract/runtime.js';
import { at, exitStep, plan, send, wait, waitFor, waitUntil, when } from './plans.js';
import { DAY, HOUR, MINUTE, START, ScriptedRuntime, member, routedEvent } from './scriptedRuntime.js';

const isoAt = (ms: number): string => new Date(ms).toISOString();
const trigger = routedEvent('member.approved', { id: 'trigger-1' });
const never = { shouldContinueAsNew: () => false };

function start(playbook: Plan, rt: ScriptedRuntime): Promise<RunResult> {
  const input: RunInput = { plan: playbook, memberId: 'm1', key: null, trigger };
  return runPlan(input, rt, never);
}

const publishedEvent = (startsAt: number) => ({
  _id: 'e1',
  title: 'Hill repeats',
  startsAt: isoAt(startsAt),
  status: 'published' as const,
});

/** Holds every email that quiet hours apply to between 21:00 and 08:00 UTC, as the delivery policy would. */
function quietHoursUtc(request: DeliveryRequest, now: number): DeliveryOutcome {
  const hour = new Date(now).getUTCHours();
  if (!request.quietHours || (hour >= 8 && hour < 21))
    return { status: 'sent', deliveryId: 'd', messageId: 'm' };
  const end = new Date(now);
  if (hour >= 21) end.setUTCDate(end.getUTCDate() + 1);
  end.setUTCHours(8, 0, 0, 0);
  return { status: 'held', until: end.getTime(), reason: 'quiet_hours' };
}

describe('every step kind', () => {
  it('sends, waits, branches, updates, introduces, waits for times and events, and exits', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START + 10 * DAY) } });
    rt.event(START + 10 * DAY + 5 * HOUR, routedEvent('member.active'));
    const steps: Step[] = [
      send('welcome'),
      wait('pause', 2 * DAY),
      when(
        'profile-nudge',
        { 'member.profile.bio': { $exists: false } },
        [send('complete-profile')],
        [send('thanks')],
      ),
      {
        id: 'mark',
        authoredId: true,
        kind: 'update_member',
        set: { subgroup: 'north' },
        addTags: ['new'],
        removeTags: [],
      },
      {
        id: 'intro',
        authoredId: true,
        kind: 'introduce',
        match: { same: ['interests'], within: null },
        template: 'peer-introduction',
      },
      waitUntil('day-before', 'event.startsAt', -DAY),
      at('hour-before', { time: 'event.startsAt', offsetMs: -HOUR, do: [send('starting-soon')] }),
      waitFor('first-week', {
        events: ['member.active'],
        timeoutMs: 3 * DAY,
        onEvent: [send('great-to-see-you')],
        onTimeout: [send('checkin')],
      }),
      exitStep('stop', 'onboarding done'),
      send('never-sent'),
    ];

    const result = await start(plan({ steps }), rt);

    expect(rt.sent()).toEqual([
      `welcome@${isoAt(START)}`,
      `complete-profile@${isoAt(START + 2 * DAY)}`,
      `peer-introduction@${isoAt(START + 2 * DAY)}`,
      `peer-introduction>peer@${isoAt(START + 2 * DAY)}`,
      `starting-soon@${isoAt(START + 10 * DAY - HOUR)}`,
      `great-to-see-you@${isoAt(START + 10 * DAY + 5 * HOUR)}`,
    ]);
    expect(rt.updates).toEqual([
      { stepId: 'mark', set: { subgroup: 'north' }, addTags: ['new'], removeTags: [] },
    ]);
    expect(rt.introductions).toEqual([{ stepId: 'intro', same: ['interests'], within: null }]);
    expect(rt.wakeUps).toEqual([START + 2 * DAY, START + 9 * DAY, START + 10 * DAY - HOUR]);
    expect(result.kind).toBe('exited');
    expect(result.kind === 'exited' && result.reason).toBe('onboarding done');
    const final = result.state;
    expect(final.status).toBe('exited');
    expect(final.exitReason).toBe('onboarding done');
    expect(final.steps.map((step) => `${step.stepId}:${step.outcome}`)).toEqual([
      'welcome:sent',
      'pause:waited',
      'profile-nudge:branch-then',
      'complete-profile:sent',
      'mark:updated',
      'intro:introduced',
      'intro:sent',
      'intro:sent',
      'day-before:waited',
      'hour-before:waited',
      'starting-soon:sent',
      'first-week:event',
      'great-to-see-you:sent',
      'stop:exited',
    ]);
    expect(rt.reports.at(-1)).toEqual(final);
  });

  it('passes the member and the peer of an introduction to the sender, each under its own occurrence', async () => {
    const rt = new ScriptedRuntime();
    const steps: Step[] = [
      {
        id: 'intro',
        authoredId: true,
        kind: 'introduce',
        match: { same: ['interests'], within: 'subgroup' },
        template: 'peer-introduction',
      },
    ];
    await start(plan({ steps }), rt);
    expect(
      rt.deliveries.map(({ stepId, occurrence, to, peerId }) => ({ stepId, occurrence, to, peerId })),
    ).toEqual([
      { stepId: 'intro', occurrence: 1, to: { kind: 'member' }, peerId: 'm2' },
      { stepId: 'intro', occurrence: 2, to: { kind: 'peer' }, peerId: 'm2' },
    ]);
  });

  it('records why an introduction was skipped and sends nothing', async () => {
    const rt = new ScriptedRuntime();
    rt.introduceOutcome = { status: 'skipped', reason: 'nobody shares an interest' };
    const steps: Step[] = [
      {
        id: 'intro',
        authoredId: true,
        kind: 'introduce',
        match: { same: ['interests'], within: null },
        template: 'peer-introduction',
      },
    ];
    const result = await start(plan({ steps }), rt);
    expect(rt.deliveries).toEqual([]);
    expect(result.state.steps).toEqual([
      { stepId: 'intro', outcome: 'skipped', at: START, detail: 'nobody shares an interest' },
    ]);
    expect(result.kind).toBe('completed');
  });

  it('takes the else branch and records which branch it took', async () => {
    const rt = new ScriptedRuntime({ records: { member: member({ profile: { bio: 'Runs hills' } }) } });
    const steps = [
      when('profile-nudge', { 'member.profile.bio': { $exists: false } }, [send('nudge')], [send('thanks')]),
    ];
    const result = await start(plan({ steps }), rt);
    expect(rt.sent()).toEqual([`thanks@${isoAt(START)}`]);
    expect(result.state.steps[0]).toMatchObject({ stepId: 'profile-nudge', outcome: 'branch-else' });
  });

  it('skips a wait_until whose record has no date, says why, and goes on at once', async () => {
    const rt = new ScriptedRuntime({ records: { event: { _id: 'e1', status: 'draft' } } });
    const result = await start(
      plan({ steps: [waitUntil('day-before', 'event.startsAt', -DAY), send('after')] }),
      rt,
    );
    expect(rt.sent()).toEqual([`after@${isoAt(START)}`]);
    expect(result.state.steps[0]).toEqual({
      stepId: 'day-before',
      outcome: 'skipped',
      at: START,
      detail: 'event.startsAt has no value',
    });
  });

  it('continues at once past a wait_until whose time has passed', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START - DAY) } });
    await start(plan({ steps: [waitUntil('after-event', 'event.startsAt', HOUR), send('after')] }), rt);
    expect(rt.sent()).toEqual([`after@${isoAt(START)}`]);
  });

  it('waits for one of several events without a deadline and tells which came', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + 40 * DAY, routedEvent('member.declined'));
    const steps = [
      waitFor('decision', {
        events: ['member.approved', 'member.declined'],
        timeoutMs: null,
        onEvent: [
          when('which', { 'received.type': 'member.approved' }, [send('approved')], [send('declined')]),
        ],
      }),
    ];
    const result = await start(plan({ steps }), rt);
    expect(rt.sent()).toEqual([`declined@${isoAt(START + 40 * DAY)}`]);
    expect(result.kind).toBe('completed');
  });

  it('runs on_timeout when nothing comes before the timeout', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + 4 * DAY, routedEvent('member.active'));
    const steps = [
      waitFor('first-week', {
        events: ['member.active'],
        timeoutMs: 3 * DAY,
        onEvent: [send('yes')],
        onTimeout: [send('no')],
      }),
    ];
    await start(plan({ steps }), rt);
    expect(rt.sent()).toEqual([`no@${isoAt(START + 3 * DAY)}`]);
  });
});

describe('exits', () => {
  it('ends a run by event in the middle of a 7-day wait, at once', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + 3 * DAY, routedEvent('member.left'));
    const playbook = plan({
      exit: { events: ['member.left'], conditions: [] },
      steps: [send('welcome'), wait('week', 7 * DAY), send('week-later')],
    });
    const result = await start(playbook, rt);
    expect(result).toMatchObject({ kind: 'exited', reason: 'event member.left' });
    expect(rt.clock).toBe(START + 3 * DAY);
    expect(rt.wakeUps).toEqual([]);
    expect(rt.sent()).toEqual([`welcome@${isoAt(START)}`]);
    expect(result.state).toMatchObject({
      status: 'exited',
      exitReason: 'event member.left',
      nextWakeAt: null,
    });
  });

  it('checks exit conditions on fresh records before every step', async () => {
    const rt = new ScriptedRuntime();
    rt.change(START + DAY, (records) => {
      if (records.member) records.member.status = 'banned';
    });
    const playbook = plan({
      exit: { events: [], conditions: [{ 'member.status': { $in: ['left', 'banned'] } }] },
      steps: [send('welcome'), wait('pause', 2 * DAY), send('nudge')],
    });
    const result = await start(playbook, rt);
    expect(result.kind).toBe('exited');
    expect(result.kind === 'exited' && result.reason).toBe(
      'exit condition {"member.status":{"$in":["left","banned"]}}',
    );
    expect(rt.clock).toBe(START + 2 * DAY);
    expect(rt.sent()).toEqual([`welcome@${isoAt(START)}`]);
  });

  it('checks exit conditions again whenever an event wakes a waiting run', async () => {
    const rt = new ScriptedRuntime();
    rt.change(START + 12 * HOUR, (records) => {
      if (records.member) records.member.status = 'left';
    });
    rt.event(START + DAY, routedEvent('member.active'));
    const playbook = plan({
      exit: { events: [], conditions: [{ 'member.status': 'left' }] },
      steps: [wait('month', 30 * DAY), send('never')],
    });
    const result = await start(playbook, rt);
    expect(result.kind).toBe('exited');
    expect(rt.clock).toBe(START + DAY);
    expect(rt.deliveries).toEqual([]);
  });

  it('ends the run when the member record is gone', async () => {
    const rt = new ScriptedRuntime();
    rt.change(START + DAY, (records) => {
      records.member = null;
    });
    const result = await start(plan({ steps: [wait('pause', 2 * DAY), send('never')] }), rt);
    expect(result).toMatchObject({ kind: 'exited', reason: 'the member no longer exists' });
  });

  it('runs the handler of an exit event first, then ends the run', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + DAY, routedEvent('member.declined'));
    const playbook = plan({
      on: { 'member.declined': [send('application-declined', { category: 'transactional' })] },
      exit: { events: ['member.approved', 'member.declined'], conditions: [] },
      steps: [
        send('application-received', { category: 'transactional' }),
        waitFor('decision', {
          events: ['member.approved', 'member.declined'],
          timeoutMs: 2 * DAY,
          onEvent: [send('never-on-event')],
          onTimeout: [send('review-application-reminder', { to: { kind: 'manager' } })],
        }),
      ],
    });
    const result = await start(playbook, rt);
    expect(rt.sent()).toEqual([
      `application-received@${isoAt(START)}`,
      `application-declined@${isoAt(START + DAY)}`,
    ]);
    expect(result).toMatchObject({ kind: 'exited', reason: 'event member.declined' });
  });

  it('lets an exit win over a send held by quiet hours', async () => {
    const rt = new ScriptedRuntime({ start: Date.parse('2025-03-03T22:00:00.000Z') });
    rt.policy = quietHoursUtc;
    rt.event(Date.parse('2025-03-04T07:00:00.000Z'), routedEvent('member.left'));
    const playbook = plan({ exit: { events: ['member.left'], conditions: [] }, steps: [send('welcome')] });
    const result = await start(playbook, rt);
    expect(result).toMatchObject({ kind: 'exited', reason: 'event member.left' });
    expect(rt.deliveries.map((delivery) => delivery.outcome.status)).toEqual(['held']);
    expect(rt.clock).toBe(Date.parse('2025-03-04T07:00:00.000Z'));
  });
});

describe('on handlers', () => {
  const reminders = (startsAt: number) => ({
    rt: new ScriptedRuntime({ records: { event: publishedEvent(startsAt) } }),
    playbook: plan({
      on: {
        'event.updated': [
          when('time-changed', { 'received.data.changed': { $in: ['startsAt'] } }, [
            send('event-time-changed', { category: 'transactional' }),
          ]),
        ],
      },
      steps: [
        send('rsvp-confirmation', { category: 'transactional' }),
        at('week-before', { time: 'event.startsAt', offsetMs: -7 * DAY, do: [send('week-reminder')] }),
        at('day-before', { time: 'event.startsAt', offsetMs: -DAY, do: [send('day-reminder')] }),
      ],
    }),
  });
  const moveEvent = (to: number) => (records: { event: { startsAt?: string } | null }) => {
    if (records.event) records.event.startsAt = isoAt(to);
  };

  it('runs the handler, then goes on where it was, following the moved event', async () => {
    const { rt, playbook } = reminders(START + 10 * DAY);
    rt.event(
      START + DAY,
      routedEvent('event.updated', { eventId: 'e1', data: { changed: ['startsAt'] } }),
      moveEvent(START + 12 * DAY),
    );
    await start(playbook, rt);
    expect(rt.sent()).toEqual([
      `rsvp-confirmation@${isoAt(START)}`,
      `event-time-changed@${isoAt(START + DAY)}`,
      `week-reminder@${isoAt(START + 5 * DAY)}`,
      `day-reminder@${isoAt(START + 11 * DAY)}`,
    ]);
  });

  it('gives each run of a handler its own occurrence of the same step', async () => {
    const { rt, playbook } = reminders(START + 20 * DAY);
    const changed = { eventId: 'e1', data: { changed: ['startsAt'] } };
    rt.event(START + DAY, routedEvent('event.updated', changed), moveEvent(START + 21 * DAY));
    rt.event(START + 2 * DAY, routedEvent('event.updated', changed), moveEvent(START + 22 * DAY));
    await start(playbook, rt);
    const handlerSends = rt.deliveries.filter((delivery) => delivery.template === 'event-time-changed');
    expect(handlerSends.map((delivery) => [delivery.stepId, delivery.occurrence])).toEqual([
      ['event-time-changed', 1],
      ['event-time-changed', 2],
    ]);
    expect(new Set(handlerSends.map((delivery) => delivery.received?.id)).size).toBe(2);
  });

  it('acts on a repeated event id once', async () => {
    const { rt, playbook } = reminders(START + 20 * DAY);
    const updated = routedEvent('event.updated', { eventId: 'e1', data: { changed: ['startsAt'] } });
    rt.event(START + DAY, updated);
    rt.event(START + 2 * DAY, { ...updated });
    const result = await start(playbook, rt);
    expect(rt.deliveries.filter((delivery) => delivery.template === 'event-time-changed')).toHaveLength(1);
    expect(
      result.state.steps.some(
        (step) => step.detail === `event.updated (${updated.id}) again: already acted on`,
      ),
    ).toBe(true);
  });

  it('does not act on the trigger again when it also reaches the run as an event', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + HOUR, trigger);
    const playbook = plan({
      on: { 'member.approved': [send('welcome-again')] },
      steps: [wait('pause', DAY)],
    });
    await start(playbook, rt);
    expect(rt.deliveries).toEqual([]);
  });

  it('queues events that come while a handler runs, and runs their handlers after it', async () => {
    const rt = new ScriptedRuntime({ start: Date.parse('2025-03-03T20:00:00.000Z') });
    rt.policy = quietHoursUtc;
    rt.event(Date.parse('2025-03-03T22:00:00.000Z'), routedEvent('first'));
    rt.event(Date.parse('2025-03-03T23:00:00.000Z'), routedEvent('second'));
    const playbook = plan({
      on: { first: [send('first-mail')], second: [send('second-mail')] },
      steps: [wait('pause', 5 * DAY), send('after')],
    });
    await start(playbook, rt);
    expect(rt.sent()).toEqual([
      'first-mail@2025-03-04T08:00:00.000Z',
      'second-mail@2025-03-04T08:00:00.000Z',
      'after@2025-03-08T20:00:00.000Z',
    ]);
  });

  it('lets an exit event interrupt a handler held by quiet hours', async () => {
    const rt = new ScriptedRuntime({ start: Date.parse('2025-03-03T20:00:00.000Z') });
    rt.policy = quietHoursUtc;
    rt.event(Date.parse('2025-03-03T22:00:00.000Z'), routedEvent('first'));
    rt.event(Date.parse('2025-03-03T23:00:00.000Z'), routedEvent('member.left'));
    const playbook = plan({
      on: { first: [send('first-mail')] },
      exit: { events: ['member.left'], conditions: [] },
      steps: [wait('pause', 5 * DAY)],
    });
    const result = await start(playbook, rt);
    expect(result).toMatchObject({ kind: 'exited', reason: 'event member.left' });
    expect(rt.sent()).toEqual([]);
  });

  it('gives an event to the wait_for inside a handler, and runs its own handler afterwards', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + HOUR, routedEvent('member.applied'));
    rt.event(START + 2 * HOUR, routedEvent('member.approved'));
    const playbook = plan({
      on: {
        'member.applied': [
          waitFor('decision', {
            events: ['member.approved'],
            timeoutMs: DAY,
            onEvent: [send('decided')],
            onTimeout: [send('late')],
          }),
        ],
        'member.approved': [send('approved-handler')],
      },
      steps: [wait('pause', 3 * DAY)],
    });
    await start(playbook, rt);
    expect(rt.sent()).toEqual([
      `decided@${isoAt(START + 2 * HOUR)}`,
      `approved-handler@${isoAt(START + 2 * HOUR)}`,
    ]);
  });

  it('records an event that nothing waits for, and goes on waiting', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + DAY, routedEvent('member.active'));
    const result = await start(plan({ steps: [wait('pause', 2 * DAY), send('after')] }), rt);
    expect(rt.sent()).toEqual([`after@${isoAt(START + 2 * DAY)}`]);
    expect(result.state.steps[0]).toEqual({
      stepId: 'pause',
      outcome: 'event',
      at: START + DAY,
      detail: 'member.active arrived: ignored',
    });
  });
});

describe('waits that follow a record', () => {
  const moveTo = (ms: number) => (records: { event: { startsAt?: string } | null }) => {
    if (records.event) records.event.startsAt = isoAt(ms);
  };

  it('follows an event moved later even when no event reaches the run', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START + 5 * DAY) } });
    rt.change(START + DAY, moveTo(START + 8 * DAY));
    await start(plan({ steps: [waitUntil('day-before', 'event.startsAt', -DAY), send('reminder')] }), rt);
    expect(rt.sent()).toEqual([`reminder@${isoAt(START + 7 * DAY)}`]);
    expect(rt.wakeUps).toEqual([START + 4 * DAY, START + 7 * DAY]);
  });

  it('follows an event moved earlier when the update reaches the run', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START + 5 * DAY) } });
    rt.event(START + DAY, routedEvent('event.updated'), moveTo(START + 3 * DAY));
    const playbook = plan({
      on: { 'event.updated': [] },
      steps: [waitUntil('day-before', 'event.startsAt', -DAY), send('reminder')],
    });
    await start(playbook, rt);
    expect(rt.sent()).toEqual([`reminder@${isoAt(START + 2 * DAY)}`]);
  });

  it('keeps the deadline of a plain wait when a handler runs', async () => {
    const rt = new ScriptedRuntime();
    rt.event(START + DAY, routedEvent('ping'));
    const playbook = plan({ on: { ping: [send('pong')] }, steps: [wait('pause', 3 * DAY), send('after')] });
    await start(playbook, rt);
    expect(rt.sent()).toEqual([`pong@${isoAt(START + DAY)}`, `after@${isoAt(START + 3 * DAY)}`]);
  });

  it('skips an at block whose time passed before the run got there (if_past: skip)', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START + 3 * DAY) } });
    const steps = [
      at('week-before', { time: 'event.startsAt', offsetMs: -7 * DAY, do: [send('week-reminder')] }),
      at('day-before', { time: 'event.startsAt', offsetMs: -DAY, do: [send('day-reminder')] }),
    ];
    const result = await start(plan({ steps }), rt);
    expect(rt.sent()).toEqual([`day-reminder@${isoAt(START + 2 * DAY)}`]);
    expect(result.state.steps[0]).toEqual({
      stepId: 'week-before',
      outcome: 'skipped',
      at: START,
      detail: 'event.startsAt - 1w had passed',
    });
  });

  it('runs an at block at once when its time has passed and if_past is run', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START + 3 * DAY) } });
    const steps = [
      at('week-before', {
        time: 'event.startsAt',
        offsetMs: -7 * DAY,
        ifPast: 'run',
        do: [send('week-reminder')],
      }),
    ];
    await start(plan({ steps }), rt);
    expect(rt.sent()).toEqual([`week-reminder@${isoAt(START)}`]);
  });

  it('applies if_past when the event is moved so that the time has already gone', async () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(START + 10 * DAY) } });
    rt.event(START + DAY, routedEvent('event.updated'), moveTo(START + 5 * DAY));
    const playbook = plan({
      on: { 'event.updated': [] },
      steps: [
        at('week-before', { time: 'event.startsAt', offsetMs: -7 * DAY, do: [send('week-reminder')] }),
        at('day-before', { time: 'event.startsAt', offsetMs: -DAY, do: [send('day-reminder')] }),
      ],
    });
    await start(playbook, rt);
    expect(rt.sent()).toEqual([`day-reminder@${isoAt(START + 4 * DAY)}`]);
  });
});

describe('held sends', () => {
  // The event starts at 07:30 UTC; quiet hours end at 08:00 UTC.
  const startsAt = Date.parse('2025-03-05T07:30:00.000Z');
  const reminders = () => {
    const rt = new ScriptedRuntime({ records: { event: publishedEvent(startsAt) } });
    rt.policy = quietHoursUtc;
    const playbook = plan({
      steps: [
        at('day-before', { time: 'event.startsAt', offsetMs: -DAY, do: [send('event-reminder')] }),
        at('hour-before', { time: 'event.startsAt', offsetMs: -HOUR, do: [send('event-starting-soon')] }),
      ],
    });
    return { rt, playbook };
  };

  it('holds a send, sleeps until it may go, and asks again under the same occurrence', async () => {
    const { rt, playbook } = reminders();
    await start(playbook, rt);
    const dayBefore = rt.deliveries.filter((delivery) => delivery.stepId === 'event-reminder');
    expect(
      dayBefore.map((delivery) => [delivery.occurrence, delivery.outcome.status, isoAt(delivery.at)]),
    ).toEqual([
      [1, 'held', '2025-03-04T07:30:00.000Z'],
      [1, 'sent', '2025-03-04T08:00:00.000Z'],
    ]);
    expect(dayBefore.every((delivery) => delivery.notAfter === startsAt)).toBe(true);
    const heldState = rt.reports.find(
      (state) => state.status === 'waiting' && state.currentStep === 'event-reminder',
    );
    expect(heldState?.nextWakeAt).toBe(Date.parse('2025-03-04T08:00:00.000Z'));
  });

  it('skips a reminder that would be held past the time its at block is anchored to', async () => {
    const { rt, playbook } = reminders();
    const result = await start(playbook, rt);
    expect(rt.sent()).toEqual(['event-reminder@2025-03-04T08:00:00.000Z']);
    const last = result.state.steps.at(-1);
    expect(last).toMatchObject({ stepId: 'event-starting-soon', outcome: 'skipped' });
    expect(last?.detail).toContain('too late');
    expect(rt.clock).toBe(Date.parse('2025-03-05T06:30:00.000Z'));
  });

  it('sends at once what may go during quiet hours', async () => {
    const rt = new ScriptedRuntime({ start: Date.parse('2025-03-03T23:00:00.000Z') });
    rt.policy = quietHoursUtc;
    await start(plan({ steps: [send('urgent', { quietHours: false }), send('normal')] }), rt);
    expect(rt.sent()).toEqual(['urgent@2025-03-03T23:00:00.000Z', 'normal@2025-03-04T08:00:00.000Z']);
  });

  it('gives up a send that the policy holds again and again, and goes on', async () => {
    const rt = new ScriptedRuntime();
    rt.policy = (request, now) =>
      request.template === 'stuck'
        ? { status: 'held', until: now + HOUR, reason: 'frequency_cap' }
        : { status: 'sent', deliveryId: 'd', messageId: 'm' };
    const result = await start(plan({ steps: [send('stuck'), send('next')] }), rt);
    expect(rt.deliveries.filter((delivery) => delivery.template === 'stuck')).toHaveLength(
      MAX_DELIVERY_ATTEMPTS,
    );
    expect(result.state.steps.find((step) => step.outcome === 'skipped')?.detail).toBe(
      `stuck to member: still held after ${MAX_DELIVERY_ATTEMPTS} tries`,
    );
    expect(rt.sent()).toEqual([`next@${isoAt(START + MAX_DELIVERY_ATTEMPTS * HOUR)}`]);
  });

  it('records skipped and failed sends and goes on', async () => {
    const rt = new ScriptedRuntime();
    rt.policy = (request) =>
      request.template === 'a'
        ? { status: 'skipped', reason: 'unsubscribed from community' }
        : request.template === 'b'
          ? { status: 'failed', reason: '550 mailbox unavailable' }
          : { status: 'sent', deliveryId: 'd', messageId: 'm' };
    const result = await start(plan({ steps: [send('a'), send('b'), send('c')] }), rt);
    expect(result.state.steps.map((step) => [step.outcome, step.detail])).toEqual([
      ['skipped', 'a to member: unsubscribed from community'],
      ['failed', 'b to member: 550 mailbox unavailable'],
      ['sent', 'c to member'],
    ]);
  });
});

describe('run state', () => {
  it('reports waiting with the next wake-up while it sleeps', async () => {
    const rt = new ScriptedRuntime();
    await start(plan({ steps: [wait('pause', 2 * DAY)] }), rt);
    expect(rt.reports).toContainEqual(
      expect.objectContaining({ status: 'waiting', currentStep: 'pause', nextWakeAt: START + 2 * DAY }),
    );
    expect(rt.reports.at(-1)).toMatchObject({ status: 'completed', currentStep: null, nextWakeAt: null });
  });

  it('keeps only the most recent steps', async () => {
    const rt = new ScriptedRuntime();
    for (let index = 0; index < MAX_STEP_RECORDS + 50; index++)
      rt.event(START + index * MINUTE, routedEvent('noise'));
    const result = await start(plan({ steps: [wait('pause', 30 * DAY), send('after')] }), rt);
    expect(result.state.steps).toHaveLength(MAX_STEP_RECORDS);
    expect(result.state.steps.at(-1)).toMatchObject({ stepId: 'after', outcome: 'sent' });
  });
});

describe('continue-as-new', () => {
  const playbook = plan({
    on: { ping: [send('pong')] },
    exit: { events: ['member.left'], conditions: [] },
    steps: [
      send('welcome'),
      wait('two-days', 2 * DAY),
      send('nudge'),
      wait('three-days', 3 * DAY),
      waitFor('active', { events: ['member.active'], timeoutMs: 7 * DAY, onTimeout: [send('checkin')] }),
      send('survey'),
    ],
  });
  const scripted = () => {
    const rt = new ScriptedRuntime();
    const ping = routedEvent('ping', { id: 'ping-1' });
    rt.event(START + DAY, ping);
    rt.event(START + 4 * DAY, routedEvent('ping', { id: 'ping-2' }));
    rt.event(START + 6 * DAY, { ...ping });
    return rt;
  };
  const keys = (rt: ScriptedRuntime) =>
    rt.deliveries.map((delivery) => `${delivery.stepId}#${delivery.occurrence}@${isoAt(delivery.at)}`);

  it('produces the same sends when split between every step as when run in one go', async () => {
    const whole = scripted();
    const input: RunInput = { plan: playbook, memberId: 'm1', key: null, trigger };
    const one = await runPlan(input, whole, never);

    const split = scripted();
    let executions = 1;
    let result = await runPlan(input, split, { shouldContinueAsNew: () => true });
    while (result.kind === 'continue') {
      executions += 1;
      result = await runPlan({ ...input, resume: result.resume }, split, { shouldContinueAsNew: () => true });
    }

    expect(executions).toBe(playbook.steps.length);
    expect(keys(split)).toEqual(keys(whole));
    expect(keys(whole)).toContain(`pong#2@${isoAt(START + 4 * DAY)}`);
    expect(result.kind).toBe(one.kind);
    expect(result.state.steps).toEqual(one.state.steps);
  });

  it('carries where to pick up, the occurrences, the seen events and the start time', async () => {
    const rt = scripted();
    const input: RunInput = { plan: playbook, memberId: 'm1', key: null, trigger };
    let continues = 0;
    const result = await runPlan(input, rt, {
      shouldContinueAsNew: () => rt.clock >= START + 4 * DAY && ++continues > 0,
    });
    expect(result.kind).toBe('continue');
    if (result.kind !== 'continue') return;
    expect(result.resume).toMatchObject({
      nextStepIndex: 4,
      occurrences: { welcome: 1, pong: 2, nudge: 1 },
      startedAt: START,
    });
    expect(result.resume.seenEventIds).toContain(trigger.id);
    expect(result.resume.steps).toEqual(result.state.steps);
  });
});

import { describe, expect, it } from 'vitest';
import { communityForTemplates, timezoneFor } from '../../compiler/templates/context.js';
import { context, event, member, peer, renderSource } from './fixtures.js';

const at = (iso: string, helper: string, timezone: string, hash = ''): string =>
  renderSource(`{{${helper} event.startsAt${hash}}}`, {
    context: context({ event: { ...event, startsAt: iso } }),
    timezone,
  }).html;

describe('date helpers', () => {
  it('format in the reader’s zone, following each zone’s own daylight saving dates', () => {
    // 14 March 2026: New York is already on summer time (since 8 March), London is not (until 29 March).
    expect(at('2026-03-14T18:30:00Z', 'formatDateTime', 'Europe/London')).toBe('Saturday 14 March at 18:30');
    expect(at('2026-03-14T18:30:00Z', 'formatDateTime', 'America/New_York')).toBe(
      'Saturday 14 March at 14:30',
    );
    // After London's change the gap is five hours again.
    expect(at('2026-04-04T18:30:00Z', 'formatTime', 'Europe/London')).toBe('19:30');
    expect(at('2026-04-04T18:30:00Z', 'formatTime', 'America/New_York')).toBe('14:30');
  });

  it('show the local date, which is not the UTC date near midnight', () => {
    expect(at('2026-03-15T02:00:00Z', 'formatDate', 'Europe/London')).toBe('Sunday 15 March');
    expect(at('2026-03-15T02:00:00Z', 'formatDate', 'America/New_York')).toBe('Saturday 14 March');
    // 01:30 UTC on 29 March is the first minute of London summer time plus 30: 02:30 BST.
    expect(at('2026-03-29T01:30:00Z', 'formatDateTime', 'Europe/London')).toBe('Sunday 29 March at 02:30');
  });

  it('take a luxon format', () => {
    expect(at('2026-03-14T18:30:00Z', 'formatDate', 'Europe/London', ' format="d MMM yyyy"')).toBe(
      '14 Mar 2026',
    );
    expect(at('2026-03-14T18:30:00Z', 'formatTime', 'America/New_York', ' format="h:mm a"')).toBe('2:30 pm');
  });

  it('render nothing for a missing date', () => {
    const rendered = renderSource('[{{formatDate member.profile.birthday}}|{{formatTime event.startsAt}}]');
    expect(rendered.html).toBe('[|]');
  });

  it('refuse what is not a date, naming the value', () => {
    expect(() => renderSource('{{formatDate member.profile.pace}}')).toThrow(
      /formatDate: "5:30\/km" is not a date/,
    );
    expect(() => renderSource('{{formatDate member.joinedAt format=3}}')).toThrow(/format= must be text/);
  });
});

describe('surveyUrl', () => {
  it('gives the signed link for each score', () => {
    const rendered = renderSource('{{surveyUrl score=0}} {{surveyUrl score=10}}', {
      context: context({ event }),
    });
    expect(rendered.text.split(/\s+/)).toEqual([
      'https://tend.riverside.example/l/survey?t=score0.sig',
      'https://tend.riverside.example/l/survey?t=score10.sig',
    ]);
  });

  it('refuses a run without an event', () => {
    expect(() => renderSource('{{surveyUrl score=9}}')).toThrow(/surveyUrl needs an event/);
  });

  it.each(['score=11', 'score=-1', 'score=2.5', 'score="9"', ''])('refuses %s', (hash) => {
    expect(() => renderSource(`{{surveyUrl ${hash}}}`, { context: context({ event }) })).toThrow(
      /score= must be a whole number from 0 to 10/,
    );
  });
});

describe('default and eq', () => {
  it('default falls back for missing and empty values only', () => {
    const rendered = renderSource(
      '{{default member.nickname "there"}}|{{default member.firstName "there"}}|{{default member.profile.empty "x"}}|{{default member.profile.zero "x"}}|{{default member.nothing}}',
      { context: context({ member: { ...member, profile: { empty: '', zero: 0 } } }) },
    );
    expect(rendered.html).toBe('there|Ada|x|0|');
  });

  it('eq compares values for #if', () => {
    const source = '{{#if (eq member.subgroup "north")}}north{{else}}elsewhere{{/if}}';
    expect(renderSource(source).html).toBe('north');
    const south = context({ member: { ...member, subgroup: 'south' } });
    expect(renderSource(source, { context: south }).html).toBe('elsewhere');
  });
});

describe('shared', () => {
  it('lists the values both lists hold, once, in the first list’s order', () => {
    const rendered = renderSource('{{#each (shared member.interests peer.interests)}}[{{this}}]{{/each}}', {
      context: context({
        member: { ...member, interests: ['track', 'trail running', 'parkrun', 'track'] },
        peer: { ...peer, interests: ['parkrun', 'swimming', 'track'] },
      }),
    });
    expect(rendered.html).toBe('[track][parkrun]');
  });

  it('is empty when either side has no list', () => {
    const rendered = renderSource('{{#each (shared member.interests peer.interests)}}x{{else}}none{{/each}}');
    expect(rendered.html).toBe('none');
  });
});

describe('timezoneFor', () => {
  it('uses the member’s zone when it is a real one, else the community’s', () => {
    expect(timezoneFor({ timezone: 'America/New_York' }, 'Europe/London')).toBe('America/New_York');
    expect(timezoneFor({ timezone: 'Mars/Olympus' }, 'Europe/London')).toBe('Europe/London');
    expect(timezoneFor({}, 'Europe/London')).toBe('Europe/London');
    expect(timezoneFor(null, 'Europe/Paris')).toBe('Europe/Paris');
  });
});

describe('communityForTemplates', () => {
  it('keeps the key names of community.yaml', () => {
    expect(
      communityForTemplates({
        name: 'Riverside Running Club',
        timezone: 'Europe/London',
        from: 'hello@riverside.example',
        replyTo: null,
        managers: ['organisers@riverside.example'],
        postalAddress: '1 Park Lane, London',
      }),
    ).toEqual({
      name: 'Riverside Running Club',
      timezone: 'Europe/London',
      from: 'hello@riverside.example',
      reply_to: null,
      managers: ['organisers@riverside.example'],
      postal_address: '1 Park Lane, London',
    });
  });
});

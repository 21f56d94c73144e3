import { describe, expect, it } from 'vitest';
import { renderEmail, TemplateRenderError } from '../../compiler/templates/render.js';
import { context, event, links, member, planTemplates, renderSource } from './fixtures.js';

const hostile = context({
  member: { ...member, name: '<script>alert(1)</script>', firstName: 'Tom & "Jerry"' },
});

describe('escaping', () => {
  it('escapes values in HTML', () => {
    const rendered = renderSource('<p>{{member.name}} {{member.firstName}}</p>', { context: hostile });
    expect(rendered.html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; &quot;Jerry&quot;</p>');
    expect(rendered.html).not.toContain('<script>');
  });

  it('writes the subject as text, one line, without HTML entities', () => {
    const injected = context({ member: { ...member, firstName: 'Ada\r\nBcc: everyone@example.org' } });
    expect(renderSource('', { subject: 'Hi {{member.firstName}}', context: injected }).subject).toBe(
      'Hi Ada Bcc: everyone@example.org',
    );
    expect(renderSource('', { subject: '{{member.firstName}}, welcome', context: hostile }).subject).toBe(
      'Tom & "Jerry", welcome',
    );
  });

  it('resolves nothing through the prototype', () => {
    const source =
      '[{{constructor}}{{member.constructor}}{{member.constructor.name}}{{member.__proto__}}' +
      '{{lookup member "__proto__"}}{{#with member.__proto__}}x{{/with}}{{member.toString}}{{@tend}}{{@tend.timezone}}]';
    expect(renderSource(source).html).toBe('[]');
  });

  it('refuses helpers outside the fixed set', () => {
    expect(() => renderSource('{{log member.name}}{{unknownHelper member.name}}')).toThrow(
      /unknown helper unknownHelper/,
    );
  });
});

describe('missing values', () => {
  it('render empty, never "undefined"', () => {
    const rendered = renderSource(
      '<p>{{member.nickname}}|{{event.title}}|{{rsvp.status}}|{{peer.name}}|{{received.data.changed}}|{{member.profile.nothing.deeper}}</p>',
    );
    expect(rendered.html).toBe('<p>|||||</p>');
  });
});

describe('layouts and partials', () => {
  const templates = planTemplates(
    {
      welcome: {
        subject: 'Welcome, {{member.firstName}}',
        preheader: 'Your first run with {{community.name}}',
        layout: 'default',
        html: '<h1>Hi {{member.firstName}}</h1>{{#> footer}}you joined {{community.name}}{{/footer}}',
      },
    },
    {
      layouts: {
        default:
          '<html><head><title>{{subject}}</title></head><body><div class="preheader">{{preheader}}</div>{{{body}}}</body></html>',
      },
      partials: {
        footer:
          '<p>Why: {{> @partial-block}}. {{community.postal_address}} <a href="{{links.unsubscribe}}">Unsubscribe</a></p>',
      },
    },
  );
  const rendered = renderEmail(templates, 'welcome', context(), { links, timezone: 'Europe/London' });

  it('wraps the body in its layout with subject and preheader', () => {
    expect(rendered.subject).toBe('Welcome, Ada');
    expect(rendered.preheader).toBe('Your first run with Riverside Running Club');
    expect(rendered.html).toContain('<title>Welcome, Ada</title>');
    expect(rendered.html).toContain(
      '<div class="preheader">Your first run with Riverside Running Club</div><h1>Hi Ada</h1>',
    );
  });

  it('renders partials with their block', () => {
    expect(rendered.html).toContain(
      '<p>Why: you joined Riverside Running Club. 1 Park Lane, London <a href="https://tend.riverside.example/l/unsubscribe?t&#x3D;unsub.sig">Unsubscribe</a></p>',
    );
  });

  it('derives a text part with links as "text [url]", without the preheader', () => {
    expect(rendered.text).toBe(
      [
        'Hi Ada',
        '',
        'Why: you joined Riverside Running Club. 1 Park Lane, London Unsubscribe',
        '[https://tend.riverside.example/l/unsubscribe?t=unsub.sig]',
      ].join('\n'),
    );
  });

  it('escapes HTML a body cannot reach through the layout', () => {
    const escaped = renderEmail(templates, 'welcome', hostile, { links, timezone: 'Europe/London' });
    expect(escaped.html).toContain('<title>Welcome, Tom &amp; &quot;Jerry&quot;</title>');
  });

  it('has no preheader when the front matter has none', () => {
    expect(renderSource('<p>x</p>').preheader).toBeNull();
  });

  it('names what is missing from the plan', () => {
    expect(() => renderEmail(templates, 'welcom', context(), { links, timezone: 'Europe/London' })).toThrow(
      new TemplateRenderError('welcom', 'not in this plan'),
    );
    const noLayout = planTemplates({ t: { html: 'x', layout: 'fancy' } });
    expect(() => renderEmail(noLayout, 't', context(), { links, timezone: 'Europe/London' })).toThrow(
      'template "t": layout "fancy" not in this plan',
    );
    expect(() => renderEmail(noLayout, 't', context(), { links, timezone: 'Mars/Olympus' })).toThrow(
      /not in this plan/,
    );
    const plain = planTemplates({ t: { html: 'x' } });
    expect(() => renderEmail(plain, 't', context(), { links, timezone: 'Mars/Olympus' })).toThrow(
      '"Mars/Olympus" is not a time zone',
    );
  });
});

describe('the compiled-template cache', () => {
  it('renders the same output on every call, for equal plans built apart', () => {
    const source = '<p>{{member.firstName}}: {{formatDateTime event.startsAt}} {{surveyUrl score=7}}</p>';
    const withEvent = context({ event });
    const first = renderSource(source, { context: withEvent });
    const again = renderSource(source, { context: withEvent });
    expect(again).toEqual(first);
    expect(first.html).toBe(
      '<p>Ada: Saturday 14 March at 09:30 https://tend.riverside.example/l/survey?t&#x3D;score7.sig</p>',
    );
  });

  it('keeps each plan’s partials apart, even under the same name', () => {
    const render = (footer: string) =>
      renderEmail(planTemplates({ t: { html: '{{> footer}}' } }, { partials: { footer } }), 't', context(), {
        links,
        timezone: 'Europe/London',
      }).html;
    expect(render('first {{member.firstName}}')).toBe('first Ada');
    expect(render('second {{member.firstName}}')).toBe('second Ada');
    expect(render('first {{member.firstName}}')).toBe('first Ada');
  });

  it('gives each render its own time zone and links, though the template is shared', () => {
    const source = '{{formatTime event.startsAt}}';
    expect(renderSource(source, { context: context({ event }), timezone: 'America/New_York' }).html).toBe(
      '05:30',
    );
    expect(renderSource(source, { context: context({ event }), timezone: 'Europe/London' }).html).toBe(
      '09:30',
    );
  });
});

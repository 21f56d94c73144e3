// The YAML front matter of an email template, between the two `---` lines at the top of the .hbs file.

import { Type } from '@sinclair/typebox';
import { Strict } from './builders.js';
import { TrackClicks } from './shared.js';

export const FrontMatter = Strict(
  {
    subject: Type.String({ minLength: 1, description: 'the subject line, in Handlebars' }),
    preheader: Type.Optional(
      Type.String({ description: 'the line inboxes show after the subject (Handlebars)' }),
    ),
    layout: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'a layout from templates/layouts, or none; default: default',
      }),
    ),
    track_clicks: Type.Optional(TrackClicks),
  },
  { title: 'front matter', description: 'subject, and optionally preheader and layout' },
);

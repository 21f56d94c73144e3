// /l/preferences: which categories of email a member gets, and saving the choice.

import { Type } from '@sinclair/typebox';
import { UNSUBSCRIBABLE } from '../../../domain/events/knownEvents.js';
import { CATEGORIES } from '../../../compiler/plan.js';
import { LONGEST_WAIT } from '../../acceptEvents.js';
import { OneOf } from '../../schemas/common.js';
import type { TendApp } from '../../typeProvider.js';
import {
  capitalised,
  CATEGORY_LABELS,
  describe,
  LINK_BODY_LIMIT,
  type LinkPageKit,
  type LinksDeps,
} from './linkPage.js';

export function preferencesPage(app: TendApp, kit: LinkPageKit, { accept }: LinksDeps): void {
  const { config, schema, schemaWithBody, show, opened, knownMember } = kit;
  app.get(
    '/l/preferences',
    { config, schema: schema('Email preferences: the page') },
    async (request, reply) => {
      const link = opened('preferences', request.query.t);
      const found = await knownMember(link.m);
      const unsubscribed = found.unsubscribed ?? [];
      return show(reply, {
        name: 'preferences',
        title: 'Email preferences',
        values: {
          email: found.email,
          action: `?t=${request.query.t}`,
          categories: CATEGORIES.map((category) => ({
            value: category,
            label: capitalised(CATEGORY_LABELS[category]),
            checked: !unsubscribed.includes(category),
            locked: !(UNSUBSCRIBABLE as readonly string[]).includes(category),
          })),
        },
      });
    },
  );

  app.post(
    '/l/preferences',
    {
      config,
      bodyLimit: LINK_BODY_LIMIT,
      schema: schemaWithBody(
        'Email preferences: save',
        Type.Object(
          {
            categories: Type.Optional(
              Type.Union([OneOf(CATEGORIES), Type.Array(OneOf(CATEGORIES), { maxItems: CATEGORIES.length })]),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    },
    async (request, reply) => {
      const link = opened('preferences', request.query.t);
      const found = await knownMember(link.m);
      const chosen = [request.body.categories ?? []].flat();
      const unsubscribed = UNSUBSCRIBABLE.filter((category) => !chosen.includes(category));
      const added = unsubscribed.filter((category) => !(found.unsubscribed ?? []).includes(category));
      // email.unsubscribed for each category newly left (playbooks may follow it), then the whole list, which
      // can also join a category again. About one member, so ingested in the order given: no unsubscription lands after the list.
      await accept(
        [
          ...added.map((category) => ({ type: 'email.unsubscribed', memberId: link.m, data: { category } })),
          { type: 'email.preferences_saved', memberId: link.m, data: { unsubscribed } },
        ],
        { where: () => 'link', waitMs: LONGEST_WAIT },
      );
      return show(reply, {
        name: 'message',
        title: 'Saved',
        values: {
          message:
            unsubscribed.length === 0
              ? 'You get every email from us.'
              : `You will no longer get ${describe(unsubscribed)}.`,
        },
      });
    },
  );
}

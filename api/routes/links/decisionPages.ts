// /l/approve and /l/decline: an organiser's decision on a join request, emitted as member.approved or
// member.declined.

import type { TendApp } from '../../typeProvider.js';
import { EmptyForm, LINK_BODY_LIMIT, linkEventId, type LinkPageKit, type LinksDeps } from './linkPage.js';

export function decisionPages(app: TendApp, kit: LinkPageKit, { accept }: LinksDeps): void {
  const { config, schema, schemaWithBody, show, opened, knownMember } = kit;
  for (const decision of ['approve', 'decline'] as const) {
    const verb = decision === 'approve' ? 'Approve' : 'Decline';
    app.get(
      `/l/${decision}`,
      { config, schema: schema(`${verb} a join request: the page`) },
      async (request, reply) => {
        const link = opened(decision, request.query.t);
        const found = await knownMember(link.m);
        return show(reply, {
          name: 'confirm',
          title: `${verb} ${found.name ?? found.email}`,
          values: {
            question: `${verb} ${found.name ?? found.email} (${found.email})?`,
            detail: `Their membership is ${found.status} now.`,
            action: `?t=${request.query.t}`,
            button: verb,
          },
        });
      },
    );
    app.post(
      `/l/${decision}`,
      { config, bodyLimit: LINK_BODY_LIMIT, schema: schemaWithBody(`${verb} a join request`, EmptyForm) },
      async (request, reply) => {
        const link = opened(decision, request.query.t);
        const found = await knownMember(link.m);
        const type = decision === 'approve' ? 'member.approved' : 'member.declined';
        await accept([{ type, id: linkEventId(decision, request.query.t, ''), memberId: link.m }], {
          where: () => 'link',
        });
        return show(reply, {
          name: 'message',
          title: 'Done',
          values: {
            message: `${found.name ?? found.email} is ${decision === 'approve' ? 'approved' : 'declined'}.`,
          },
        });
      },
    );
  }
}

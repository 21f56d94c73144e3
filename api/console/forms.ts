// Schemas shared by the console's forms: every POST body carries the CSRF token as `_csrf` beside its fields.

import { Type, type TProperties } from '@sinclair/typebox';

const CsrfToken = Type.Optional(Type.String({ maxLength: 200 }));

/** A form body: its fields and the CSRF token, nothing else. */
export const FormBody = <Fields extends TProperties>(fields: Fields) =>
  Type.Object({ ...fields, _csrf: CsrfToken }, { additionalProperties: false });

export const CsrfOnly = FormBody({});

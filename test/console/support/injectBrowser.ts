// A tiny browser over app.inject for the console's security tests: it keeps cookies like a browser (by name,
// the latest value wins, a cleared cookie goes), and reads a page's CSRF token from its forms.

import type { TendApp } from '../../../api/typeProvider.js';

export interface InjectAnswer {
  status: number;
  location: string | undefined;
  body: string;
}

export interface InjectBrowser {
  get(url: string): Promise<InjectAnswer>;
  /** Posts a urlencoded form; `_csrf` is whatever the caller puts in the fields (or leaves out). */
  post(url: string, fields: Record<string, string>): Promise<InjectAnswer>;
  /** The CSRF token of the first form on the page at `url` (which also sets the CSRF cookie). */
  csrfFrom(url: string): Promise<string>;
  cookies: Map<string, string>;
}

export function injectBrowser(app: () => TendApp): InjectBrowser {
  const cookies = new Map<string, string>();
  const send = async (method: 'GET' | 'POST', url: string, payload?: string): Promise<InjectAnswer> => {
    const response = await app().inject({
      method,
      url,
      headers: {
        ...(cookies.size > 0
          ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
          : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
    for (const cookie of response.cookies) {
      const expired = cookie.expires !== undefined && cookie.expires.getTime() <= Date.now();
      if (cookie.value === '' || expired || cookie.maxAge === 0) cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
    const location = response.headers.location;
    return {
      status: response.statusCode,
      location: typeof location === 'string' ? location : undefined,
      body: response.body,
    };
  };
  return {
    get: (url) => send('GET', url),
    post: (url, fields) => send('POST', url, new URLSearchParams(fields).toString()),
    csrfFrom: async (url) => {
      const page = await send('GET', url);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (token === undefined) throw new Error(`no CSRF token on ${url} (${page.status})`);
      return token;
    },
    cookies,
  };
}

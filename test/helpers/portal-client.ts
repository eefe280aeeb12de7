/** A cookie-keeping HTTP client for the business portal: what a browser does, minus JavaScript. */

export interface PortalAnswer {
  status: number;
  location: string | null;
  text: string;
}

/** The CSRF token of a portal page's first form. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

export class PortalClient {
  readonly jar = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<PortalAnswer> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  get(path: string): Promise<PortalAnswer> {
    return this.request('GET', path);
  }

  /** Posts a form with the CSRF token of the page it came from. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<PortalAnswer> {
    const from = await this.get(page);
    return this.request('POST', action, { _csrf: csrfOf(from.text), ...fields });
  }

  async signIn(token: string): Promise<PortalAnswer> {
    const page = await this.get('/portal/sign-in');
    return this.request('POST', '/portal/sign-in', { _csrf: csrfOf(page.text), token });
  }
}

import { z } from 'zod';
import { OaApiError, TOKEN_ERRORS } from './wechat-oa-errors';
import type { OaTokenCache } from './wechat-oa-token';

const answerSchema = z.looseObject({
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
  msgid: z.union([z.number(), z.string()]).optional(),
});
const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const ticketSchema = z.object({
  errcode: z.literal(0).optional(),
  ticket: z.string().min(1).max(512),
  expires_in: z.number().int().positive(),
});

/** The platform answers within a few seconds; past this the call counts as a network failure. */
const TIMEOUT_MS = 10_000;

export interface OaApiOptions {
  /** https://api.weixin.qq.com, or a local fake. */
  apiBase: string;
  appId: string;
  appSecret: string;
}

/**
 * The few Official Account API calls the channel makes, over fetch. Every call carries the shared token; a
 * token error (40001, 42001, 40014) drops it, fetches a fresh one (one process at a time) and retries once.
 */
export class OaApi {
  private tokens?: OaTokenCache;

  constructor(private readonly options: OaApiOptions) {}

  /** Set once by the channel: the cache needs `fetchToken` from this class. */
  useTokenCache(tokens: OaTokenCache): void {
    this.tokens = tokens;
  }

  /** cgi-bin/token (client_credential). Each call invalidates the previous token, hence the shared cache. */
  async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const url = new URL('/cgi-bin/token', this.options.apiBase);
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: this.options.appId,
      secret: this.options.appSecret,
    }).toString();
    const body = await this.request('token', url, undefined);
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) {
      const answer = answerSchema.safeParse(body);
      throw new OaApiError('token', answer.data?.errcode ?? -1, answer.data?.errmsg ?? 'no access_token');
    }
    return { token: parsed.data.access_token, expiresIn: parsed.data.expires_in };
  }

  /** POSTs JSON to a cgi-bin path with the access token; returns the msgid when the platform gives one. */
  async post(path: string, payload: object): Promise<{ msgid?: string }> {
    const { msgid } = await this.call(path, payload);
    return { msgid: msgid === undefined ? undefined : String(msgid) };
  }

  /**
   * cgi-bin/ticket/getticket (type=jsapi): the JS-SDK's jsapi_ticket, which signs wx.config on our web pages.
   * Fetched with the shared access token (a token error refreshes it and retries once, as for every call).
   */
  async fetchJsapiTicket(): Promise<{ token: string; expiresIn: number }> {
    const body = await this.call('ticket/getticket', undefined, { type: 'jsapi' });
    const parsed = ticketSchema.safeParse(body);
    if (!parsed.success) throw new OaApiError('ticket/getticket', -1, 'no ticket in the answer');
    return { token: parsed.data.ticket, expiresIn: parsed.data.expires_in };
  }

  /** One cgi-bin call with the access token: JSON POSTed when there is a payload, else a GET. */
  private async call(
    path: string,
    payload: object | undefined,
    query: Record<string, string> = {},
  ): Promise<z.infer<typeof answerSchema>> {
    const tokens = this.tokens;
    if (!tokens) throw new Error('OaApi used before its token cache was set');
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const url = new URL(`/cgi-bin/${path}`, this.options.apiBase);
      url.searchParams.set('access_token', token);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      const parsed = answerSchema.safeParse(await this.request(path, url, payload));
      if (!parsed.success) throw new Error(`${path}: unexpected answer`);
      const { errcode = 0, errmsg = '' } = parsed.data;
      if (errcode === 0) return parsed.data;
      if (TOKEN_ERRORS.has(errcode) && attempt === 0) {
        await tokens.invalidate(token);
        continue;
      }
      throw new OaApiError(path, errcode, errmsg);
    }
  }

  private async request(api: string, url: URL, payload: object | undefined): Promise<unknown> {
    const response = await fetch(url, {
      method: payload ? 'POST' : 'GET',
      headers: payload ? { 'content-type': 'application/json' } : undefined,
      // The platform reads raw UTF-8: JSON.stringify keeps Chinese as it is.
      body: payload ? JSON.stringify(payload) : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${api}: HTTP ${response.status}`);
    return response.json();
  }
}

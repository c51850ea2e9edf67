import { createHash, randomBytes } from 'node:crypto';

/** What wx.config needs besides the AppID: the signature of this page's URL at this time. */
export interface JsSdkSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
  /** The URL that was signed: the page's address as the browser shows it, without its #fragment. */
  url: string;
}

/** The URL the JS-SDK signs: everything before '#'. */
export function signableUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * The JS-SDK's wx.config signature (附录1-JS-SDK使用权限签名算法): SHA-1, in hex, of
 * `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` — the four fields in this (ASCII) order, values as they are
 * (no URL-encoding), the URL without its #fragment.
 */
export function jsapiSignature(ticket: string, nonceStr: string, timestamp: number, url: string): string {
  return createHash('sha1')
    .update(
      `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${signableUrl(url)}`,
      'utf8',
    )
    .digest('hex');
}

/** A fresh signature for `url` with `ticket`: a random nonce and the current time in seconds. */
export function signPage(ticket: string, url: string, now = Date.now()): JsSdkSignature {
  const timestamp = Math.floor(now / 1000);
  const nonceStr = randomBytes(12).toString('base64url');
  return {
    timestamp,
    nonceStr,
    signature: jsapiSignature(ticket, nonceStr, timestamp, url),
    url: signableUrl(url),
  };
}

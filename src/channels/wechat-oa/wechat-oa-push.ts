import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WechatOaChannel } from './wechat-oa-channel';
import { decryptPush, pushSignature, sameSignature } from './wechat-oa-crypto';
import { mapPush, parseXml, pushSchema } from './wechat-oa-mapper';

const field = z.string().max(128);
const querySchema = z.object({
  signature: field.optional(),
  timestamp: field.regex(/^\d+$/),
  nonce: field,
  echostr: z.string().max(512).optional(),
  openid: field.optional(),
  encrypt_type: z.enum(['raw', 'aes']).optional(),
  msg_signature: field.optional(),
});
/**
 * A signed query older (or newer) than this is refused: in plain mode the signature covers only the token,
 * timestamp and nonce, not the body, so a captured query must not stay usable for long. (Encrypted mode signs
 * the body too: use it.)
 */
const MAX_SKEW_S = 300;
/** A push is a small XML document; anything bigger is not from the platform. */
const BODY_LIMIT = 64 * 1024;

/**
 * The message push endpoint (服务器配置 → URL). GET is the platform's URL check: the signature over our Token
 * proves it is the platform, and we echo `echostr`. POST carries a message or event as XML, plain or encrypted
 * (encrypt_type=aes); it is answered "success" at once (the platform allows 5 s and retries three times) and
 * handled in the background: the dialog's replies go out as customer-service messages.
 */
export function registerWechatOaPush(app: FastifyInstance, channel: WechatOaChannel): void {
  const { token, encodingAesKey, appId, pushPath } = channel.options;
  const signed = (q: z.infer<typeof querySchema>) =>
    Math.abs(Date.now() / 1000 - Number(q.timestamp)) <= MAX_SKEW_S &&
    sameSignature(q.signature, pushSignature(token, q.timestamp, q.nonce));

  void app.register(async (scope) => {
    scope.addContentTypeParser(
      ['text/xml', 'application/xml', 'text/plain'],
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_r, body, done) => done(null, body),
    );

    scope.get(pushPath, async (request, reply) => {
      const q = querySchema.safeParse(request.query);
      if (!q.success || !q.data.echostr) return reply.code(400).type('text/plain').send('bad request');
      if (!signed(q.data)) return reply.code(401).type('text/plain').send('bad signature');
      return reply.type('text/plain').send(q.data.echostr);
    });

    scope.post(pushPath, async (request, reply) => {
      const q = querySchema.safeParse(request.query);
      if (!q.success) return reply.code(400).type('text/plain').send('bad request');
      if (!signed(q.data)) return reply.code(401).type('text/plain').send('bad signature');
      let xml = typeof request.body === 'string' ? parseXml(request.body) : undefined;
      if (!xml) return reply.code(400).type('text/plain').send('not xml');
      if (q.data.encrypt_type === 'aes' || typeof xml.Encrypt === 'string') {
        if (!encodingAesKey || typeof xml.Encrypt !== 'string')
          return reply.code(400).type('text/plain').send('encrypted mode is not set up');
        const opened = decryptPush(
          { token, encodingAesKey, appId },
          { timestamp: q.data.timestamp, nonce: q.data.nonce, msgSignature: q.data.msg_signature },
          xml.Encrypt,
        );
        if (!opened.ok)
          return reply
            .code(opened.reason === 'undecryptable' ? 400 : 401)
            .type('text/plain')
            .send(opened.reason);
        xml = parseXml(opened.xml);
        if (!xml) return reply.code(400).type('text/plain').send('not xml');
      }
      const push = pushSchema.safeParse(xml);
      if (!push.success || push.data.ToUserName === '')
        return reply.code(400).type('text/plain').send('not a push');
      // Not started yet: an error makes the platform retry within its 15 s, by when we may be up.
      if (!channel.started) return reply.code(503).type('text/plain').send('starting');
      const mapped = mapPush(push.data);
      const id =
        mapped.type === 'message'
          ? mapped.message.id
          : `${push.data.FromUserName}:${push.data.CreateTime}:${push.data.Event ?? push.data.MsgType}`;
      if (await channel.firstSeen(id)) channel.accept(mapped);
      // "success" means: received, no passive reply (the answers follow as customer-service messages).
      return reply.type('text/plain').send('success');
    });
  });
}

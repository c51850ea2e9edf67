import pino, { type DestinationStream, type Logger } from 'pino';
import { redactIdNumbers } from './core/people/mask';

export type { Logger };

/**
 * JSON logs on stderr (stdout belongs to `converse`/`ask` output). ID numbers are masked in every
 * message string, and fields that may hold personal data or secrets are redacted by path.
 */
/** Settings that must never reach a log, whether the config is logged whole or as a field of something. */
const SECRET_SETTINGS = [
  'PII_ENCRYPTION_KEY',
  'PII_HASH_KEY',
  'WEB_SESSION_SECRET',
  'METRICS_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'WECHATY_PUPPET_SERVICE_TOKEN',
  'DATABASE_URL',
  'REDIS_URL',
];

/** `destination`: where the JSON lines go (stderr unless given; tests pass a stream they read back). */
export function createLogger(level: string, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'idNumber',
          '*.idNumber',
          'phone',
          '*.phone',
          'realName',
          '*.realName',
          ...SECRET_SETTINGS.flatMap((name) => [name, `*.${name}`]),
          'token',
          '*.token',
        ],
        censor: '[redacted]',
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? redactIdNumbers(a) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: Error) => ({
          type: err.name,
          message: redactIdNumbers(err.message),
          stack: err.stack && redactIdNumbers(err.stack),
        }),
      },
    },
    // Last line of defence: whatever field, error or message carried it, no ID-looking run leaves unmasked,
    // even one split by a line break that JSON wrote as `\n`.
    { write: (line: string) => destination.write(redactIdNumbers(line, { jsonEscapes: true })) },
  );
}

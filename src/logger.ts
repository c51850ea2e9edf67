import pino, { type Logger } from 'pino';
import { redactIdNumbers } from './core/people/mask';

export type { Logger };

/**
 * JSON logs on stderr (stdout belongs to `converse`/`ask` output). ID numbers are masked in every
 * message string, and fields that may hold personal data or secrets are redacted by path.
 */
export function createLogger(level: string): Logger {
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
          'config.PII_ENCRYPTION_KEY',
          'config.PII_HASH_KEY',
          'PII_ENCRYPTION_KEY',
          'PII_HASH_KEY',
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
    pino.destination(2),
  );
}

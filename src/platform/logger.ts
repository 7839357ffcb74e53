import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; secrets and session material never reach a log line. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cellway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.secret',
          '*.client_secret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

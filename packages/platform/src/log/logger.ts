import { type Logger, type LoggerOptions, pino } from 'pino';
import { currentTrace } from './trace-context';

export type { Logger };

export interface LoggerSettings {
  level?: string;
  /** Added to every line so that logs of one process running several services stay apart. */
  service?: string;
  /** Destination for tests; stdout otherwise. */
  destination?: pino.DestinationStream;
}

const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? 'info',
    base: settings.service ? { service: settings.service } : {},
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written inside a traced unit of work carries its ids.
    mixin() {
      const trace = currentTrace();
      if (!trace) return {};
      return {
        trace_id: trace.traceId,
        correlation_id: trace.correlationId,
        ...(trace.tenantId ? { tenant_id: trace.tenantId } : {}),
      };
    },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

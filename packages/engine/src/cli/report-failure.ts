import { EngineValidationError } from '../template/engine-error';
import { UsageError } from './project-args';

/** Prints a failure the way a user can act on it and returns the exit code. */
export function reportFailure(error: unknown, usage: string): number {
  const err = error as Error & { code?: string };
  if (err.name === 'AbortError') {
    process.stderr.write('cancelled\n');
    return 130;
  }
  if (error instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`error: ${err.message}\n\n${usage}`);
    return 2;
  }
  if (error instanceof EngineValidationError) {
    process.stderr.write(`error: ${error.message.split(':')[0]}\n`);
    for (const e of error.errors) process.stderr.write(`  ${e.path}: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`error: ${err.message ?? String(error)}\n`);
  return 1;
}

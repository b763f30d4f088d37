import type { RenderErrorCode } from '@flatrender/contracts';
import { EngineValidationError } from '@flatrender/engine';
import { EncoderError, MediaProbeError } from '@flatrender/engine/node';
import { BlobNotFoundError } from '@flatrender/platform';
import { CacheHashMismatchError, CacheObjectTooLargeError } from '../cache/content-cache';
import { UnknownVoiceError } from '../voice/speech.synth';

/** Why a work item failed, as the `fail` route takes it. */
export class WorkFailure extends Error {
  constructor(
    readonly errorCode: RenderErrorCode,
    message: string,
    /** Another attempt (on this or another node) may succeed; false for deterministic causes. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** What a missing or unusable object of the work item means for the job. */
export function fetchFailure(kind: 'font' | 'asset' | 'template', error: unknown): WorkFailure {
  const missing: RenderErrorCode =
    kind === 'font' ? 'font_missing' : kind === 'template' ? 'template_invalid' : 'asset_missing';
  if (error instanceof BlobNotFoundError)
    return new WorkFailure(missing, `${kind} ${error.key} is not in the blob store`, false);
  if (error instanceof CacheHashMismatchError || error instanceof CacheObjectTooLargeError)
    return new WorkFailure(kind === 'font' ? 'font_missing' : 'asset_unreadable', error.message, false);
  return new WorkFailure(missing, `${kind} could not be fetched: ${(error as Error).message}`, true);
}

/** Maps anything a render threw to the protocol's error codes; unknown causes are retryable. */
export function classifyFailure(error: unknown): WorkFailure {
  if (error instanceof WorkFailure) return error;
  if (error instanceof EngineValidationError) {
    const detail = error.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    const fonts = error.errors.some((e) => e.code === 'font_missing');
    const code: RenderErrorCode = fonts
      ? 'font_missing'
      : error.message === 'invalid template'
        ? 'template_invalid'
        : 'values_invalid';
    return new WorkFailure(code, `${error.message}: ${detail}`, false);
  }
  if (error instanceof UnknownVoiceError) return new WorkFailure('values_invalid', error.message, false);
  if (error instanceof EncoderError) return new WorkFailure('encoder_failed', error.message, true);
  if (error instanceof MediaProbeError) return new WorkFailure('output_invalid', error.message, true);
  const message = error instanceof Error ? error.message : String(error);
  return new WorkFailure('internal', message || 'unknown error', true);
}

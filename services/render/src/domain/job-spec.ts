import type {
  AudioFormat,
  fieldValuesSchema,
  fontRefSchema,
  ImageFormat,
  Locale,
  MockupKind,
  sceneSchema,
} from '@flatrender/contracts';
import type { AudioTrack, FieldValues } from '@flatrender/engine';
import type { z } from 'zod';

export type FontRef = z.infer<typeof fontRefSchema>;
export type MessageValues = z.infer<typeof fieldValuesSchema>;
export type MessageScene = z.infer<typeof sceneSchema>;

export interface AssetRef {
  content_hash: string;
  blob_key: string;
  mime: string;
}

/** The template version a job renders, as work items name it. */
export interface TemplateSource {
  template_id: string;
  version: number;
  engine: number;
  content_hash: string;
  document_key: string;
}

/**
 * A template render (video or still) as planned when it was accepted: everything the work items
 * carry and everything the assembler needs, so nothing is asked of another service afterwards.
 */
export interface TemplateJobSpec {
  kind: 'template';
  template: TemplateSource;
  /** The engine's values with uploads as `file:<id>` (what the checks and the composition used). */
  engine_values: FieldValues;
  locale: Locale;
  /** Every field value with defaults resolved, uploads as `{ asset: <sha256> }` (what nodes get). */
  values: MessageValues;
  scenes: MessageScene[];
  fonts: FontRef[];
  assets: AssetRef[];
  /** Uploads the values use, by engine reference (`file:<id>`): the assembler fetches audio by them. */
  files: Record<string, AssetRef>;
  /** Music and voice-over of the composition, muxed when the chunks are joined. */
  audio: AudioTrack[];
  /** Image jobs: the instant pictured. */
  time_seconds?: number;
  max_render_seconds: number;
}

export interface MockupJobSpec {
  kind: 'mockup';
  image: {
    file_id: string;
    content_hash: string;
    blob_key: string;
    mime: string;
    width: number;
    height: number;
  };
  mockup: MockupKind;
  format: ImageFormat;
  width: number;
}

export interface VoiceoverJobSpec {
  kind: 'voiceover';
  text: string;
  language: Locale;
  voice: string;
  speed: number;
  format: AudioFormat;
}

export type JobSpec = TemplateJobSpec | MockupJobSpec | VoiceoverJobSpec;

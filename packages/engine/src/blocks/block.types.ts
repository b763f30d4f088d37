import type { FontFace } from '../fonts/font-spec';
import type { Canvas2D, Drawable } from '../render/canvas.types';
import {
  type Aspect,
  type DurationBounds,
  type FieldDef,
  type FieldDefInput,
  fieldSchema,
  type Locale,
  type Localized,
  type Palette,
  type PaletteRole,
} from '../template/template.schema';
import type { Direction } from '../text/bidi';
import type { FittedText, TextSpec } from '../text/text-layout';

/** One prop of a block: its field definition (validation, studio editor) and where its default comes from. */
export interface PropSpec<T = unknown> {
  def: FieldDef;
  /** Colour props default to this palette role. */
  palette?: PaletteRole;
  /** Becomes a user field when the block is added to a flexible template. */
  editable: boolean;
  /** Phantom: the TypeScript type a block sees. */
  readonly __type?: T;
}

export type Orientation = 'landscape' | 'portrait' | 'square';

/** What a block knows about where it is drawn. Built once per prepared composition and scene. */
export interface BlockContext {
  width: number;
  height: number;
  /** The shorter side: the unit block geometry is expressed in, so shapes keep proportions. */
  unit: number;
  aspect: Aspect;
  orientation: Orientation;
  locale: Locale;
  /** The locale's direction: which side "start" is. */
  dir: Direction;
  palette: Palette;
  fonts: { display: FontFace; body: FontFace };
  /** Whether numbers are drawn with Persian digits (template setting and locale). */
  persianDigits: boolean;
  sceneId: string;
  duration: number;
  /** Seed for the scene's deterministic randomness. */
  seed: number;
  image(ref: string | undefined): Drawable | undefined;
  /**
   * Fits a text into a box (cached by the prepared composition). `prop` names the block prop the
   * text comes from, so an unfit text is reported against the field bound to it.
   */
  text(key: string, spec: BlockTextSpec): FittedText;
  /** Declares other strings drawn with a font (e.g. a counter's intermediate numbers) for glyph checks. */
  glyphs(text: string, font: FontFace, prop?: string): void;
}

export type BlockTextSpec = Omit<TextSpec, 'layoutDirection'> & {
  prop?: string;
  /** Set by layer scenes, which bind fields directly rather than through props. */
  field?: string;
  source?: string;
};

export interface SceneTime {
  /** Seconds since the scene started (may run past `duration` during an outgoing transition). */
  t: number;
  duration: number;
  fps: number;
}

type PropTypes<S> = { [K in keyof S]: S[K] extends PropSpec<infer T> ? T : never };

export interface BlockDefinition<S extends Record<string, PropSpec> = Record<string, PropSpec>, L = unknown> {
  id: string;
  /** The engine generation whose frames this code defines; never changed once published. */
  generation: number;
  title: { fa: string; en: string };
  description: { fa: string; en: string };
  props: S;
  duration: DurationBounds;
  /** Composition for this aspect: boxes, fitted texts. Runs once per prepare, not per frame. */
  layout(props: PropTypes<S>, c: BlockContext): L;
  draw(ctx: Canvas2D, props: PropTypes<S>, layout: L, time: SceneTime, c: BlockContext): void;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds blocks of every prop shape.
export type AnyBlock = BlockDefinition<Record<string, PropSpec>, any>;

export function defineBlock<S extends Record<string, PropSpec>, L>(def: BlockDefinition<S, L>): AnyBlock {
  return def as unknown as AnyBlock;
}

function field(input: FieldDefInput): FieldDef {
  return fieldSchema.parse(input);
}

interface TextPropOptions {
  label: Localized;
  default: Localized;
  maxLength?: number;
  multiline?: boolean;
  optional?: boolean;
  minFontSize?: number;
  editable?: boolean;
}

/** Builders for block props; each declares the value type the block receives. */
export const prop = {
  text(o: TextPropOptions): PropSpec<string> {
    return {
      def: field({
        type: 'text',
        label: o.label,
        default: o.default,
        maxLength: o.maxLength ?? 80,
        multiline: o.multiline ?? false,
        optional: o.optional,
        minFontSize: o.minFontSize,
      }),
      editable: o.editable ?? true,
    };
  },
  color(role: PaletteRole, label: Localized, editable = false): PropSpec<string> {
    return { def: field({ type: 'color', label }), palette: role, editable };
  },
  image(o: {
    label: Localized;
    default?: string;
    minWidth?: number;
    minHeight?: number;
    optional?: boolean;
  }) {
    const spec: PropSpec<string | undefined> = {
      def: field({
        type: 'image',
        label: o.label,
        default: o.default,
        minWidth: o.minWidth,
        minHeight: o.minHeight,
        optional: o.optional,
      }),
      editable: true,
    };
    return spec;
  },
  number(o: {
    label: Localized;
    default: number;
    min?: number;
    max?: number;
    step?: number;
    editable?: boolean;
  }): PropSpec<number> {
    return {
      def: field({
        type: 'number',
        label: o.label,
        default: o.default,
        min: o.min,
        max: o.max,
        step: o.step,
      }),
      editable: o.editable ?? true,
    };
  },
  boolean(o: { label: Localized; default: boolean; editable?: boolean }): PropSpec<boolean> {
    return {
      def: field({ type: 'boolean', label: o.label, default: o.default }),
      editable: o.editable ?? false,
    };
  },
  choice<const V extends string>(o: {
    label: Localized;
    options: ReadonlyArray<{ value: V; label: Localized }>;
    default: V;
    editable?: boolean;
  }): PropSpec<V> {
    return {
      def: field({ type: 'choice', label: o.label, options: [...o.options], default: o.default }),
      editable: o.editable ?? false,
    };
  },
  /** A date; the block receives it formatted for the locale (Jalali in fa). */
  date(o: { label: Localized; default: string; format?: 'long' | 'short' | 'weekday' }): PropSpec<string> {
    return {
      def: field({ type: 'date', label: o.label, default: o.default, format: o.format }),
      editable: true,
    };
  },
  list<T extends Record<string, unknown>>(o: {
    label: Localized;
    item: Record<string, FieldDefInput>;
    default:
      | Array<Record<string, unknown>>
      | { fa?: Array<Record<string, unknown>>; en?: Array<Record<string, unknown>> };
    minItems?: number;
    maxItems?: number;
  }): PropSpec<T[]> {
    return {
      def: field({
        type: 'list',
        label: o.label,
        item: o.item as never,
        default: o.default,
        minItems: o.minItems,
        maxItems: o.maxItems,
      }),
      editable: true,
    };
  },
};

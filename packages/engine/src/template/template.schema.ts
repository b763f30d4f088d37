import { z } from 'zod';

/*
 * THE template document model. Types, the published JSON Schema (schema/template.schema.json) and
 * the validator all derive from these schemas; anything the schemas cannot express (references
 * between parts of the document) is checked in template.validate.ts.
 */

export const ASPECTS = ['16:9', '9:16', '1:1', '4:5'] as const;
export const aspectSchema = z.enum(ASPECTS).describe('Aspect ratio of an output.');
export type Aspect = z.infer<typeof aspectSchema>;

export const LOCALES = ['fa', 'en'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;
const nameSchema = z
  .string()
  .regex(NAME, 'must start with a letter and use only letters, digits, "_" or "-"');

/** A field path: a global field (`brand`) or a scene-scoped field (`intro.title`). */
export const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_-]{0,47}(\.[A-Za-z][A-Za-z0-9_-]{0,47})?$/;
export const bindingSchema = z
  .strictObject({ field: z.string().regex(FIELD_PATH, 'must be "name" or "scene.name"') })
  .meta({
    id: 'Binding',
    description: 'Takes its value from a field: a global field ("brand") or a scene field ("intro.title").',
  });
export type Binding = z.infer<typeof bindingSchema>;

export const localizedSchema = z
  .union([
    z.string(),
    z
      .strictObject({ fa: z.string().optional(), en: z.string().optional() })
      .refine((v) => v.fa !== undefined || v.en !== undefined, 'needs "fa" or "en"'),
  ])
  .meta({ id: 'Localized', description: 'Text, or text per language ({ "fa": ..., "en": ... }).' });
export type Localized = z.infer<typeof localizedSchema>;

export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
export const hexColorSchema = z
  .string()
  .regex(HEX_COLOR, 'must be a hex colour like "#e94560"')
  .meta({ id: 'HexColor' });

export const PALETTE_ROLES = ['background', 'surface', 'primary', 'accent', 'text', 'muted'] as const;
export type PaletteRole = (typeof PALETTE_ROLES)[number];
/** A colour in layers and block literals: hex, or a palette role such as "@primary". */
export const colorRefSchema = z
  .string()
  .regex(
    /^(?:#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|@(?:background|surface|primary|accent|text|muted))$/,
    'must be a hex colour like "#e94560" or a palette role like "@primary"',
  )
  .meta({ id: 'ColorRef' });

export const FONT_WEIGHTS = [100, 200, 300, 400, 500, 600, 700, 800, 900] as const;
/** `Family:weight`, e.g. `Vazirmatn:800`. */
export const FONT_SPEC = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,62}:(100|200|300|400|500|600|700|800|900)$/;
export const fontSpecSchema = z
  .string()
  .regex(FONT_SPEC, 'must be "Family:weight", e.g. "Vazirmatn:800"')
  .meta({ id: 'FontSpec' });
export const FONT_ROLES = ['display', 'body'] as const;
export type FontRole = (typeof FONT_ROLES)[number];
/** A font in layers: a role of the template ("display") or an explicit spec. */
export const fontRefSchema = z.union([z.enum(FONT_ROLES), fontSpecSchema]);

export const digitsSchema = z.enum(['auto', 'latin', 'persian']).meta({
  id: 'Digits',
  description: 'Digits used when drawing: "auto" = Persian digits in fa, Latin in en.',
});
export type Digits = z.infer<typeof digitsSchema>;

/** Asset references are opaque to the engine: `builtin:` for engine assets, otherwise given to the AssetLoader. */
export const assetRefSchema = z.string().min(1).max(500).meta({ id: 'AssetRef' });

// ---------------------------------------------------------------------------------------------
// Fields

const fieldBase = {
  label: localizedSchema.optional(),
  help: localizedSchema.optional(),
  optional: z.boolean().optional().describe('May be left empty by the user.'),
};

export const textFieldSchema = z
  .strictObject({
    type: z.literal('text'),
    ...fieldBase,
    default: localizedSchema.optional(),
    maxLength: z.number().int().min(1).max(2000).default(80),
    multiline: z.boolean().default(false),
    minFontSize: z
      .number()
      .min(6)
      .max(400)
      .optional()
      .describe('Smallest font size (px at the output size) fitting may shrink to.'),
    digits: digitsSchema.optional(),
  })
  .meta({ id: 'TextField' });

export const colorFieldSchema = z
  .strictObject({
    type: z.literal('color'),
    ...fieldBase,
    default: hexColorSchema.optional(),
    swatches: z.array(hexColorSchema).max(24).optional(),
  })
  .meta({ id: 'ColorField' });

export const imageFieldSchema = z
  .strictObject({
    type: z.literal('image'),
    ...fieldBase,
    default: assetRefSchema.optional(),
    minWidth: z.number().int().min(1).max(16384).optional(),
    minHeight: z.number().int().min(1).max(16384).optional(),
    aspectHint: z
      .union([aspectSchema, z.number().positive()])
      .optional()
      .describe('Preferred shape for cropping (width / height or an aspect name).'),
  })
  .meta({ id: 'ImageField' });

export const fontFieldSchema = z
  .strictObject({
    type: z.literal('font'),
    ...fieldBase,
    default: fontSpecSchema.optional(),
    allowed: z.array(fontSpecSchema).max(64).optional(),
  })
  .meta({ id: 'FontField' });

export const numberFieldSchema = z
  .strictObject({
    type: z.literal('number'),
    ...fieldBase,
    default: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
    digits: digitsSchema.optional(),
  })
  .meta({ id: 'NumberField' });

export const audioFieldSchema = z
  .strictObject({
    type: z.literal('audio'),
    ...fieldBase,
    default: assetRefSchema.optional(),
    maxDuration: z.number().positive().max(3600).optional(),
  })
  .meta({ id: 'AudioField' });

export const dateFieldSchema = z
  .strictObject({
    type: z.literal('date'),
    ...fieldBase,
    default: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date "YYYY-MM-DD"')
      .optional(),
    format: z.enum(['long', 'short', 'weekday']).default('long'),
    calendar: z
      .enum(['auto', 'jalali', 'gregorian'])
      .default('auto')
      .describe('"auto": Jalali in fa, Gregorian in en.'),
    digits: digitsSchema.optional(),
  })
  .meta({ id: 'DateField' });

export const booleanFieldSchema = z
  .strictObject({
    type: z.literal('boolean'),
    ...fieldBase,
    default: z.boolean().optional(),
  })
  .meta({ id: 'BooleanField' });

export const choiceFieldSchema = z
  .strictObject({
    type: z.literal('choice'),
    ...fieldBase,
    options: z
      .array(z.strictObject({ value: z.string().min(1).max(40), label: localizedSchema.optional() }))
      .min(1)
      .max(40),
    default: z.string().optional(),
  })
  .meta({ id: 'ChoiceField' });

export const scalarFieldSchema = z
  .discriminatedUnion('type', [
    choiceFieldSchema,
    textFieldSchema,
    colorFieldSchema,
    imageFieldSchema,
    fontFieldSchema,
    numberFieldSchema,
    audioFieldSchema,
    dateFieldSchema,
    booleanFieldSchema,
  ])
  .meta({ id: 'ScalarField' });
export type ScalarFieldDef = z.infer<typeof scalarFieldSchema>;

export const listFieldSchema = z
  .strictObject({
    type: z.literal('list'),
    ...fieldBase,
    item: z
      .record(z.string().regex(NAME), scalarFieldSchema)
      .describe('The fields of one item, e.g. { "label": text, "value": number }.'),
    minItems: z.number().int().min(0).max(100).default(0),
    maxItems: z.number().int().min(1).max(100).default(20),
    default: z
      .union([
        z.array(z.record(z.string(), z.unknown())),
        z.strictObject({
          fa: z.array(z.record(z.string(), z.unknown())).optional(),
          en: z.array(z.record(z.string(), z.unknown())).optional(),
        }),
      ])
      .optional(),
  })
  .meta({ id: 'ListField' });

export const fieldSchema = z
  .discriminatedUnion('type', [
    choiceFieldSchema,
    textFieldSchema,
    colorFieldSchema,
    imageFieldSchema,
    fontFieldSchema,
    numberFieldSchema,
    audioFieldSchema,
    dateFieldSchema,
    booleanFieldSchema,
    listFieldSchema,
  ])
  .meta({ id: 'Field' });
export type FieldDef = z.infer<typeof fieldSchema>;
export type FieldDefInput = z.input<typeof fieldSchema>;
export type FieldType = FieldDef['type'];
export type ListFieldDef = z.infer<typeof listFieldSchema>;

// ---------------------------------------------------------------------------------------------
// Time, easing, animation

/**
 * Easing names, or `cubic-bezier(x1,y1,x2,y2)`, or `spring(stiffness,damping,mass)`.
 * The math lives in layers/easing.ts.
 */
export const EASING_NAMES = [
  'linear',
  'cubic-in',
  'cubic-out',
  'cubic-in-out',
  'back-in',
  'back-out',
  'back-in-out',
  'elastic-in',
  'elastic-out',
  'spring',
] as const;
const NUM = '\\s*(-?\\d+(?:\\.\\d+)?)\\s*';
export const CUBIC_BEZIER = new RegExp(`^cubic-bezier\\(${NUM},${NUM},${NUM},${NUM}\\)$`);
export const SPRING = new RegExp(`^spring\\(${NUM},${NUM},${NUM}\\)$`);
function isEasing(s: string): boolean {
  if ((EASING_NAMES as readonly string[]).includes(s)) return true;
  const bez = CUBIC_BEZIER.exec(s);
  if (bez) {
    const x1 = Number(bez[1]);
    const x2 = Number(bez[3]);
    return x1 >= 0 && x1 <= 1 && x2 >= 0 && x2 <= 1;
  }
  const spr = SPRING.exec(s);
  return spr !== null && Number(spr[1]) > 0 && Number(spr[2]) > 0 && Number(spr[3]) > 0;
}
export const easingSchema = z
  .string()
  .refine(
    isEasing,
    `must be one of ${EASING_NAMES.join(', ')}, "cubic-bezier(x1,y1,x2,y2)" with x1, x2 in 0..1, or "spring(stiffness,damping,mass)" with positive numbers`,
  )
  .meta({ id: 'Easing', description: 'Easing of a keyframe segment or animation.' });
export type Easing = string;

export const durationSchema = z
  .strictObject({
    default: z.number().min(0.5).max(120),
    min: z.number().min(0.5).max(120),
    max: z.number().min(0.5).max(120),
  })
  .refine((d) => d.min <= d.default && d.default <= d.max, 'needs min <= default <= max')
  .meta({
    id: 'Duration',
    description: 'Scene length in seconds, editable by the user between min and max.',
  });
export type DurationBounds = z.infer<typeof durationSchema>;

/** Keyframe time: seconds from the scene start, or (negative) seconds before the scene end. */
const keyTime = z.number().min(-120).max(120);

function animated<T extends z.ZodType>(value: T) {
  return z.union([
    value,
    z.strictObject({
      keyframes: z
        .array(z.strictObject({ t: keyTime, value, easing: easingSchema.optional() }))
        .min(1)
        .max(64),
    }),
  ]);
}
export const animNumberSchema = animated(z.number()).meta({ id: 'AnimatedNumber' });
export type AnimNumber = z.infer<typeof animNumberSchema>;
export const animColorSchema = animated(z.union([colorRefSchema, bindingSchema])).meta({
  id: 'AnimatedColor',
});
export type AnimColor = z.infer<typeof animColorSchema>;

export const transitionSchema = z
  .strictObject({
    type: z.enum(['none', 'crossfade', 'slide', 'wipe', 'zoom']),
    duration: z.number().min(0).max(3).default(0.6),
    easing: easingSchema.default('cubic-in-out'),
  })
  .meta({ id: 'Transition' });
export type Transition = z.infer<typeof transitionSchema>;

// ---------------------------------------------------------------------------------------------
// Layers (data-defined scenes)

const gradientStop = z.strictObject({
  offset: z.number().min(0).max(1),
  color: z.union([colorRefSchema, bindingSchema]),
});
export const gradientPaintSchema = z
  .strictObject({
    gradient: z.enum(['linear', 'radial']),
    angle: z
      .number()
      .default(90)
      .describe('Linear: direction in degrees (0 = left to right, 90 = top to bottom).'),
    stops: z.array(gradientStop).min(2).max(16),
  })
  .meta({ id: 'GradientPaint' });
export type GradientPaint = z.infer<typeof gradientPaintSchema>;
export const paintSchema = z.union([animColorSchema, gradientPaintSchema]).meta({ id: 'Paint' });

/**
 * Geometry: x, y are fractions of the frame (0..1); sizes are in units of the frame's shorter side
 * (1 = the whole shorter side), so a circle stays a circle at every aspect.
 */
const layerCommon = {
  id: nameSchema.optional(),
  x: animNumberSchema.default(0.5),
  y: animNumberSchema.default(0.5),
  anchorX: z.number().min(0).max(1).default(0.5),
  anchorY: z.number().min(0).max(1).default(0.5),
  scale: animNumberSchema.default(1),
  rotation: animNumberSchema.default(0).describe('Degrees, clockwise.'),
  opacity: animNumberSchema.default(1),
  start: z.number().min(0).max(120).optional().describe('Appears at this second of the scene.'),
  end: z
    .number()
    .min(-120)
    .max(120)
    .optional()
    .describe('Disappears at this second (negative: before the end).'),
  aspects: z
    .partialRecord(aspectSchema, z.record(z.string(), z.unknown()))
    .optional()
    .describe('Per-aspect overrides of this layer’s properties, e.g. { "9:16": { "y": 0.3 } }.'),
};

export const textLayerSchema = z
  .strictObject({
    type: z.literal('text'),
    ...layerCommon,
    text: z.union([localizedSchema, bindingSchema]),
    font: fontRefSchema.default('display'),
    size: z.number().min(0.005).max(1).describe('Largest font size in units of the shorter side.'),
    minSize: z.number().min(0.005).max(1).optional(),
    width: z.number().min(0.01).max(1).default(0.8).describe('Box width, fraction of the frame width.'),
    height: z.number().min(0.01).max(1).default(0.3).describe('Box height, fraction of the frame height.'),
    align: z.enum(['start', 'center', 'end']).default('center'),
    lineHeight: z.number().min(0.8).max(3).default(1.3),
    maxLines: z.number().int().min(1).max(20).default(3),
    color: animColorSchema.default('@text'),
    digits: digitsSchema.optional(),
    reveal: z
      .strictObject({
        by: z.enum(['word', 'line']),
        stagger: z.number().min(0).max(2).default(0.08),
        duration: z.number().min(0.05).max(5).default(0.5),
        easing: easingSchema.default('back-out'),
        rise: z.number().min(-1).max(1).default(0.04).describe('Start offset, units of the shorter side.'),
        fromScale: z.number().min(0).max(4).default(1),
      })
      .optional()
      .describe(
        'Animates words or lines in one after another; words stay whole so Persian letters stay joined.',
      ),
  })
  .meta({ id: 'TextLayer' });

export const imageLayerSchema = z
  .strictObject({
    type: z.literal('image'),
    ...layerCommon,
    asset: z.union([assetRefSchema, bindingSchema]),
    width: z.number().min(0.01).max(4),
    height: z.number().min(0.01).max(4),
    fit: z.enum(['cover', 'contain']).default('cover'),
    radius: z.number().min(0).max(1).default(0),
  })
  .meta({ id: 'ImageLayer' });

export const svgLayerSchema = z
  .strictObject({
    type: z.literal('svg'),
    ...layerCommon,
    asset: z.union([assetRefSchema, bindingSchema]),
    width: z.number().min(0.01).max(4),
    height: z.number().min(0.01).max(4),
  })
  .meta({ id: 'SvgLayer' });

export const shapeLayerSchema = z
  .strictObject({
    type: z.literal('shape'),
    ...layerCommon,
    shape: z.enum(['rect', 'rounded', 'ellipse', 'polygon', 'path']),
    width: z.number().min(0.001).max(4),
    height: z.number().min(0.001).max(4),
    radius: z
      .number()
      .min(0)
      .max(1)
      .default(0.04)
      .describe('Corner radius of "rounded", units of the shorter side.'),
    sides: z.number().int().min(3).max(64).default(6).describe('Regular polygon sides (when no points).'),
    points: z
      .array(z.tuple([z.number(), z.number()]))
      .min(3)
      .max(256)
      .optional()
      .describe('Polygon points in 0..1 of the layer box.'),
    path: z
      .string()
      .max(20000)
      .optional()
      .describe('SVG path data, drawn in the viewBox scaled to the layer box.'),
    viewBox: z.tuple([z.number().positive(), z.number().positive()]).default([100, 100]),
    fill: paintSchema.optional(),
    stroke: z.strictObject({ color: animColorSchema, width: z.number().min(0).max(0.5) }).optional(),
  })
  .meta({ id: 'ShapeLayer' });

export const solidLayerSchema = z
  .strictObject({
    type: z.literal('solid'),
    ...layerCommon,
    color: animColorSchema,
  })
  .meta({ id: 'SolidLayer' });

export const gradientLayerSchema = z
  .strictObject({
    type: z.literal('gradient'),
    ...layerCommon,
    gradient: z.enum(['linear', 'radial']),
    angle: z.number().default(90),
    stops: z.array(gradientStop).min(2).max(16),
  })
  .meta({ id: 'GradientLayer' });

export const layerSchema = z
  .discriminatedUnion('type', [
    textLayerSchema,
    imageLayerSchema,
    svgLayerSchema,
    shapeLayerSchema,
    solidLayerSchema,
    gradientLayerSchema,
  ])
  .meta({ id: 'Layer' });
export type Layer = z.infer<typeof layerSchema>;
export type TextLayer = z.infer<typeof textLayerSchema>;
export type ImageLayer = z.infer<typeof imageLayerSchema>;
export type ShapeLayer = z.infer<typeof shapeLayerSchema>;

// ---------------------------------------------------------------------------------------------
// Scenes

const sceneCommon = {
  id: nameSchema.describe('Unique in the template; scene fields are addressed as "<id>.<field>".'),
  title: localizedSchema.optional(),
  duration: durationSchema,
  fields: z.record(nameSchema, fieldSchema).default({}),
  transition: transitionSchema
    .optional()
    .describe('The transition INTO this scene (overrides the template’s).'),
};

export const blockSceneSchema = z
  .strictObject({
    ...sceneCommon,
    block: z.string().regex(NAME, 'must be a block id like "title-card"'),
    props: z
      .record(z.string(), z.union([bindingSchema, z.unknown()]))
      .default({})
      .describe('Block props: a literal value, or { "field": "..." } to bind a field.'),
  })
  .meta({ id: 'BlockScene' });
export type BlockScene = z.infer<typeof blockSceneSchema>;

export const layerSceneSchema = z
  .strictObject({
    ...sceneCommon,
    background: paintSchema.optional(),
    layers: z.array(layerSchema).min(1).max(64),
  })
  .meta({ id: 'LayerScene' });
export type LayerScene = z.infer<typeof layerSceneSchema>;

export const sceneSchema = z.union([blockSceneSchema, layerSceneSchema]).meta({ id: 'Scene' });
export type Scene = z.infer<typeof sceneSchema>;

// ---------------------------------------------------------------------------------------------
// Template

const sizeSchema = z
  .tuple([z.number().int().min(16).max(4096), z.number().int().min(16).max(4096)])
  .refine(([w, h]) => w % 2 === 0 && h % 2 === 0, 'width and height must be even (video encoders need it)')
  .describe('[width, height] in pixels.');

export const ASPECT_RATIOS: Record<Aspect, number> = {
  '16:9': 16 / 9,
  '9:16': 9 / 16,
  '1:1': 1,
  '4:5': 4 / 5,
};
export const DEFAULT_SIZES: Record<Aspect, [number, number]> = {
  '16:9': [1920, 1080],
  '9:16': [1080, 1920],
  '1:1': [1080, 1080],
  '4:5': [1080, 1350],
};

const colorOrBinding = z.union([hexColorSchema, bindingSchema]);
const fontOrBinding = z.union([fontSpecSchema, bindingSchema]);

export const templateSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be lower-case letters, digits and "-"'),
    engine: z.number().int().min(1).describe('Engine generation the template was made for.'),
    version: z.number().int().min(1).default(1),
    mode: z.enum(['fixed', 'flexible']),
    fps: z.number().int().min(1).max(60),
    title: localizedSchema,
    description: localizedSchema.optional(),
    category: z.string().max(40).optional(),
    tags: z.array(z.string().max(40)).max(20).default([]),
    locales: z.array(localeSchema).min(1).default(['fa', 'en']),
    aspects: z
      .partialRecord(aspectSchema, sizeSchema)
      .refine((a) => Object.keys(a).length > 0, 'needs at least one aspect'),
    fonts: z.strictObject({ display: fontOrBinding, body: fontOrBinding }),
    palette: z.strictObject({
      background: colorOrBinding,
      surface: colorOrBinding,
      primary: colorOrBinding,
      accent: colorOrBinding,
      text: colorOrBinding,
      muted: colorOrBinding,
    }),
    digits: digitsSchema.default('auto'),
    fields: z.record(nameSchema, fieldSchema).default({}),
    scenes: z.array(sceneSchema).min(1).max(50),
    allowedBlocks: z.array(z.string().regex(NAME)).max(50).optional(),
    minScenes: z.number().int().min(1).max(50).default(1),
    maxScenes: z.number().int().min(1).max(50).default(20),
    maxDuration: z.number().positive().max(600).default(180).describe('Longest total length in seconds.'),
    transition: transitionSchema.default({ type: 'crossfade', duration: 0.6, easing: 'cubic-in-out' }),
    music: z
      .strictObject({
        asset: z.union([assetRefSchema, bindingSchema]),
        volume: z.number().min(0).max(1).default(0.8),
        fadeIn: z.number().min(0).max(10).default(0),
        fadeOut: z.number().min(0).max(10).default(1.5),
      })
      .optional(),
    voiceOver: z
      .strictObject({
        field: z.string().regex(FIELD_PATH),
        volume: z.number().min(0).max(1).default(1),
        start: z.number().min(0).max(600).default(0),
        duckMusic: z
          .number()
          .min(0)
          .max(1)
          .default(0.35)
          .describe('Music volume factor while the voice plays.'),
      })
      .optional(),
  })
  .describe('A FlatRender template document.');

export type Template = z.infer<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;
export type Palette = Record<PaletteRole, string>;

import type { AnyBlock } from '../blocks/block.types';
import type { BlockScene, FieldDef, Localized, PaletteRole } from '../template/template.schema';
import { formatDate } from '../text/date-format';
import { toPersianDigits } from '../text/digits';
import { fieldDefault, localize } from '../values/field-values';
import type { ResolvedValues } from '../values/project';

const isBinding = (v: unknown): v is { field: string } =>
  v !== null && typeof v === 'object' && 'field' in v && typeof (v as { field: unknown }).field === 'string';

/** Persian digits inside Persian text, leaving digits that belong to Latin words ("MP3", "H264"). */
export function persianizeText(text: string): string {
  return text.replace(/[^\s]+/g, (word) => (/[A-Za-z]/.test(word) ? word : toPersianDigits(word)));
}

/** A value as a block sees it: texts with the locale's digits, dates formatted. */
function present(
  value: unknown,
  def: FieldDef,
  propDef: FieldDef,
  rv: ResolvedValues,
  persian: boolean,
): unknown {
  if (value === undefined || value === null) return undefined;
  if (def.type === 'date' && typeof value === 'string') {
    const format = def.format ?? (propDef.type === 'date' ? propDef.format : 'long');
    return formatDate(value, {
      locale: rv.locale,
      calendar: def.calendar,
      style: format,
      persianDigits: persian,
    });
  }
  if (def.type === 'text' && typeof value === 'string') return persian ? persianizeText(value) : value;
  if (def.type === 'list' && Array.isArray(value)) {
    return value.map((item: Record<string, unknown>) => {
      const out: Record<string, unknown> = {};
      for (const [key, itemDef] of Object.entries(def.item)) {
        const propItem = propDef.type === 'list' ? propDef.item[key] : undefined;
        out[key] = present(item[key], itemDef, propItem ?? itemDef, rv, persian);
      }
      return out;
    });
  }
  return value;
}

export interface ResolvedProp {
  value: unknown;
  /** Field path bound to the prop, when it is bound (for error reports). */
  field?: string;
  /** Smallest font size the bound text field allows. */
  minFontSize?: number;
  /** The field definition the value was checked against. */
  def: FieldDef;
}

/** Block props for a scene: bound fields, literals, or block defaults (palette roles for colours). */
export function resolveBlockProps(
  block: AnyBlock,
  scene: BlockScene,
  rv: ResolvedValues,
): Record<string, ResolvedProp> {
  const out: Record<string, ResolvedProp> = {};
  for (const [name, spec] of Object.entries(block.props)) {
    const source = scene.props[name];
    if (isBinding(source)) {
      const def = rv.defs.get(source.field)!;
      const persian = rv.persianDigits(source.field);
      out[name] = {
        value: present(rv.fields.get(source.field), def, spec.def, rv, persian),
        field: source.field,
        minFontSize: def.type === 'text' ? def.minFontSize : undefined,
        def,
      };
      continue;
    }
    const persian = rv.persianDigits();
    if (source !== undefined) {
      let literal = source;
      if (spec.def.type === 'color' && typeof source === 'string' && source.startsWith('@'))
        literal = rv.palette[source.slice(1) as PaletteRole];
      else if (spec.def.type === 'text' && typeof source === 'object' && source !== null)
        literal = localize(source as Localized, rv.locale);
      out[name] = { value: present(literal, spec.def, spec.def, rv, persian), def: spec.def };
      continue;
    }
    const value = spec.palette ? rv.palette[spec.palette] : fieldDefault(spec.def, rv.locale);
    out[name] = { value: present(value, spec.def, spec.def, rv, persian), def: spec.def };
  }
  return out;
}

import type { FieldDef } from '../template/template.schema';
import { localize } from '../values/field-values';
import type { PropSpec } from './block.types';
import { listBlocks } from './registry';

function typeOf(def: FieldDef): string {
  switch (def.type) {
    case 'text':
      return `text (≤ ${def.maxLength}${def.multiline ? ', multi-line' : ''})`;
    case 'choice':
      return `choice: ${def.options.map((o) => `\`${o.value}\``).join(' / ')}`;
    case 'list':
      return `list of { ${Object.entries(def.item)
        .map(([k, v]) => `${k}: ${v.type}`)
        .join(', ')} } (${def.minItems}–${def.maxItems} items)`;
    case 'number':
      return def.min === undefined && def.max === undefined
        ? 'number'
        : `number (${def.min ?? '−∞'} to ${def.max ?? '∞'})`;
    default:
      return def.type;
  }
}

function defaultOf(spec: PropSpec): string {
  if (spec.palette) return `palette \`${spec.palette}\``;
  const d = spec.def.default;
  if (d === undefined) return '—';
  if (spec.def.type === 'list') return 'sample items';
  if (spec.def.type === 'text' && typeof d === 'object')
    return `“${localize(d as never, 'en')}” / «${localize(d as never, 'fa')}»`;
  return `\`${JSON.stringify(d)}\``;
}

/** The block reference section of docs/templates.md, generated from the block definitions. */
export function blockReferenceMarkdown(generation: number): string {
  const out: string[] = [];
  for (const b of listBlocks(generation)) {
    out.push(`### \`${b.id}\`: ${b.title.en} (${b.title.fa})`, '');
    out.push(
      `${b.description.en}. Length ${b.duration.min} to ${b.duration.max} s, default ${b.duration.default} s.`,
      '',
    );
    out.push('| prop | type | default | a field when the user adds the block |', '|---|---|---|---|');
    for (const [name, spec] of Object.entries(b.props))
      out.push(
        `| \`${name}\` | ${typeOf(spec.def)} | ${defaultOf(spec)} | ${spec.editable ? 'yes' : 'no'} |`,
      );
    out.push('');
  }
  return out.join('\n');
}

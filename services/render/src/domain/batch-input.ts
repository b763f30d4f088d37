import { parse } from 'csv-parse/sync';

export interface CsvProblem {
  row: number;
  field?: string;
  code: string;
  message: string;
}

/** How a CSV cell becomes a value: by the type of the field its column names. */
export type CellType = 'text' | 'number' | 'boolean' | 'list' | 'other';

/**
 * Rows of a batch from CSV text: the header row names field paths (`brand`, `intro.title`), each
 * further line is one job. Cells are typed by their field (numbers, booleans, lists as JSON); an
 * empty cell keeps the field's default. Problems are reported per row and column.
 */
export function rowsFromCsv(
  text: string,
  typeOf: (field: string) => CellType | undefined,
): { rows: Record<string, unknown>[]; problems: CsvProblem[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (error) {
    return {
      rows: [],
      problems: [
        { row: 0, code: 'invalid_csv', message: `the CSV cannot be read: ${(error as Error).message}` },
      ],
    };
  }
  const [header, ...lines] = records;
  if (!header || header.length === 0)
    return { rows: [], problems: [{ row: 0, code: 'invalid_csv', message: 'the CSV has no header row' }] };
  const problems: CsvProblem[] = [];
  header.forEach((field) => {
    if (!typeOf(field))
      problems.push({
        row: 0,
        field,
        code: 'unknown_field',
        message: `column "${field}" is not a field of the template`,
      });
  });
  if (lines.length === 0)
    problems.push({ row: 0, code: 'invalid_csv', message: 'the CSV has a header but no rows' });
  if (problems.length > 0) return { rows: [], problems };
  const rows = lines.map((cells, i) => {
    const row: Record<string, unknown> = {};
    header.forEach((field, c) => {
      const cell = cells[c] ?? '';
      if (cell === '') return;
      const converted = convert(cell, typeOf(field) ?? 'other');
      if (converted.ok) row[field] = converted.value;
      else
        problems.push({
          row: i,
          field,
          code: 'invalid_value',
          message: `row ${i + 1}, column "${field}": ${converted.message}`,
        });
    });
    return row;
  });
  return { rows, problems };
}

function convert(
  cell: string,
  type: CellType,
): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (type) {
    case 'number': {
      const n = Number(cell);
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, message: `"${cell}" is not a number` };
    }
    case 'boolean':
      if (['true', '1', 'yes'].includes(cell.toLowerCase())) return { ok: true, value: true };
      if (['false', '0', 'no'].includes(cell.toLowerCase())) return { ok: true, value: false };
      return { ok: false, message: `"${cell}" is not true or false` };
    case 'list':
      try {
        const value = JSON.parse(cell) as unknown;
        return Array.isArray(value)
          ? { ok: true, value }
          : { ok: false, message: 'a list column holds a JSON array' };
      } catch {
        return { ok: false, message: 'a list column holds a JSON array' };
      }
    default:
      return { ok: true, value: cell };
  }
}

import { describe, expect, it } from 'vitest';
import { type CellType, rowsFromCsv } from './batch-input';

const types: Record<string, CellType> = {
  brand: 'text',
  'intro.title': 'text',
  'chart.max': 'number',
  'end.show': 'boolean',
  'chart.rows': 'list',
};
const typeOf = (f: string) => types[f];

describe('rowsFromCsv', () => {
  it('types cells by their field and keeps defaults for empty cells', () => {
    const csv =
      'brand,intro.title,chart.max,end.show,chart.rows\n#ff0000,"سلام، دنیا",12.5,yes,"[{""label"":""a"",""value"":1}]"\n,Hello,,false,\n';
    const { rows, problems } = rowsFromCsv(csv, typeOf);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        brand: '#ff0000',
        'intro.title': 'سلام، دنیا',
        'chart.max': 12.5,
        'end.show': true,
        'chart.rows': [{ label: 'a', value: 1 }],
      },
      { 'intro.title': 'Hello', 'end.show': false },
    ]);
  });

  it('reports unknown columns and bad cells with their row and column', () => {
    expect(rowsFromCsv('brand,nope\n#fff,1\n', typeOf).problems).toEqual([
      {
        row: 0,
        field: 'nope',
        code: 'unknown_field',
        message: 'column "nope" is not a field of the template',
      },
    ]);
    const { problems } = rowsFromCsv('chart.max,end.show\nten,maybe\n5,true\n', typeOf);
    expect(problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [0, 'chart.max', 'invalid_value'],
      [0, 'end.show', 'invalid_value'],
    ]);
  });

  it('refuses a broken or empty CSV', () => {
    expect(rowsFromCsv('brand\n', typeOf).problems[0]?.code).toBe('invalid_csv');
    expect(rowsFromCsv('brand,intro.title\n"unterminated\n', typeOf).problems[0]?.code).toBe('invalid_csv');
  });
});

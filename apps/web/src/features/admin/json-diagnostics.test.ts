import { describe, expect, it } from 'vitest';
import { locateProblems, pathSegments, syntaxDiagnostics } from './json-diagnostics';

const doc = `{
  "id": "spring-card",
  "fps": 300,
  "scenes": [
    {
      "id": "intro",
      "block": "title-card",
      "props": { "title": { "field": "intro.headline" }, "odd key": 1 }
    }
  ]
}`;

describe('placing template problems in the JSON text', () => {
  it('reads the engine JSON paths', () => {
    expect(pathSegments('$')).toEqual([]);
    expect(pathSegments('$.scenes[0].props.title')).toEqual(['scenes', 0, 'props', 'title']);
    expect(pathSegments('$.scenes[0].props["odd key"]')).toEqual(['scenes', 0, 'props', 'odd key']);
    expect(pathSegments('intro.title')).toEqual(['intro', 'title']);
    expect(pathSegments('$.scenes[x]')).toBeNull();
  });

  it('underlines the property a problem is about, with its line and column', () => {
    const [fps] = locateProblems(doc, [{ path: '$.fps', code: 'too_big', message: 'at most 60' }], 'error');
    expect(doc.slice(fps!.from, fps!.to)).toBe('"fps": 300');
    expect([fps!.line, fps!.column]).toEqual([3, 3]);
    const [field] = locateProblems(
      doc,
      [{ path: '$.scenes[0].props.title.field', code: 'unknown_field', message: 'no such field' }],
      'warning',
    );
    expect(doc.slice(field!.from, field!.to)).toBe('"field": "intro.headline"');
    expect(field).toMatchObject({ line: 8, severity: 'warning', code: 'unknown_field' });
    const [odd] = locateProblems(
      doc,
      [{ path: '$.scenes[0].props["odd key"]', code: 'x', message: 'x' }],
      'error',
    );
    expect(doc.slice(odd!.from, odd!.to)).toBe('"odd key": 1');
  });

  it('marks only the key of an object or array, and a missing property at its parent', () => {
    const [scenes] = locateProblems(doc, [{ path: '$.scenes', code: 'x', message: 'x' }], 'error');
    expect(doc.slice(scenes!.from, scenes!.to)).toBe('"scenes"');
    const [missing] = locateProblems(
      doc,
      [{ path: '$.scenes[0].duration', code: 'required', message: 'required' }],
      'error',
    );
    // The scene object itself has no key: its opening brace on line 5.
    expect(doc.slice(missing!.from, missing!.to)).toBe('{');
    expect(missing!.line).toBe(5);
    const [unreadable] = locateProblems(doc, [{ path: '$..', code: 'x', message: 'x' }], 'error');
    expect(unreadable).toMatchObject({ from: 0, line: 1, column: 1 });
  });

  it('reports JSON syntax errors where they are, and a document that is not an object', () => {
    const broken = '{\n  "id": "a",\n  "fps": 30,\n}';
    const [error] = syntaxDiagnostics(broken);
    expect(error).toMatchObject({ line: 4, column: 1, code: 'json_syntax', severity: 'error' });
    expect(syntaxDiagnostics(doc)).toEqual([]);
    expect(syntaxDiagnostics('[1, 2]')[0]).toMatchObject({ code: 'not_an_object', line: 1 });
  });
});

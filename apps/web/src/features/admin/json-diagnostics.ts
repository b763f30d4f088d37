import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
  type Segment,
} from 'jsonc-parser';

/** A problem as the content service reports it: a JSON path into the document, a code, a message. */
export interface Problem {
  path: string;
  code: string;
  message: string;
}

/** A problem placed in the document's text: a range to underline, and its line and column (1-based). */
export interface Diagnostic {
  from: number;
  to: number;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  path: string;
  code: string;
  message: string;
}

/**
 * `$.scenes[0].props["a b"]` (the engine's `jsonPath`) as segments; also a bare field path
 * (`intro.title`) as its dotted parts. Null when the path cannot be read.
 */
export function pathSegments(path: string): Segment[] | null {
  const source = path.startsWith('$') ? path.slice(1) : path ? `.${path}` : '';
  const segments: Segment[] = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < source.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(source);
    if (!match) return null;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
    at = pattern.lastIndex;
  }
  return segments;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * The stretch of text to underline for a node: a property's `"key": value` when the value is a
 * scalar, only the key (or the opening bracket) when it is an object or array, so a problem about a
 * whole scene does not paint the whole scene.
 */
function rangeOf(node: Node): { from: number; to: number } {
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const key = property?.children?.[0];
  if (node.type === 'object' || node.type === 'array') {
    if (key) return { from: key.offset, to: key.offset + key.length };
    return { from: node.offset, to: node.offset + 1 };
  }
  if (property) return { from: property.offset, to: property.offset + property.length };
  return { from: node.offset, to: node.offset + node.length };
}

/**
 * Places each problem at its JSON path in `text`. A path that does not exist in the text (a
 * required property that is missing) is placed at its nearest existing ancestor; an unreadable one at
 * the start of the document.
 */
export function locateProblems(
  text: string,
  problems: readonly Problem[],
  severity: Diagnostic['severity'],
): Diagnostic[] {
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  return problems.map((problem) => {
    let range = { from: 0, to: Math.min(1, text.length) };
    const segments = pathSegments(problem.path);
    if (root && segments) {
      for (let n = segments.length; n >= 0; n--) {
        const node = findNodeAtLocation(root, segments.slice(0, n));
        if (node) {
          range = rangeOf(node);
          break;
        }
      }
    }
    return { ...range, ...lineAndColumn(text, range.from), severity, ...problem };
  });
}

/** Syntax errors of the text as JSON (no comments, no trailing commas), placed like problems. */
export function syntaxDiagnostics(text: string): Diagnostic[] {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const found: Diagnostic[] = errors.map((error) => {
    const from = Math.min(error.offset, text.length);
    return {
      from,
      to: Math.min(text.length, from + Math.max(1, error.length)),
      ...lineAndColumn(text, from),
      severity: 'error' as const,
      path: '',
      code: 'json_syntax',
      message: printParseErrorCode(error.error),
    };
  });
  if (found.length === 0 && root && root.type !== 'object')
    found.push({
      from: root.offset,
      to: root.offset + root.length,
      ...lineAndColumn(text, root.offset),
      severity: 'error',
      path: '$',
      code: 'not_an_object',
      message: 'not_an_object',
    });
  return found;
}

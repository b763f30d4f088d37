import createDOMPurify, { type DOMPurify } from 'dompurify';
import { JSDOM } from 'jsdom';

/**
 * SVG sanitising with DOMPurify (the maintained, fuzzed sanitiser browsers' own teams test against) on a
 * jsdom window, with its SVG profiles, plus a stricter reference policy of ours: DOMPurify alone keeps
 * external `href`s and CSS `url()`s, which make a viewer fetch from elsewhere.
 *
 * What must stay true of every stored SVG:
 * - no `<script>`, `<foreignObject>`, animation elements (`<set>`/`<animate>` can rewrite attributes)
 *   nor event-handler attributes (DOMPurify's allowlists);
 * - every `href`/`xlink:href` points inside the document (`#id`), or is an embedded raster image
 *   (`data:image/png|jpeg|gif|webp;base64,`) on `<image>`;
 * - no CSS (attribute or `<style>`) that imports or references anything but `url(#id)`, and no CSS
 *   escapes (which could spell `url` in disguise);
 * - no DOCTYPE: the HTML parser never expands entities, so entity bombs stay inert text.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const LOCAL_REF = /^#[^\s]*$/;
const EMBEDDED_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
/** `url(` not followed by a local fragment, `@import`, `image-set(`/`image(`, and escapes. */
const UNSAFE_CSS = /url\s*\((?!\s*['"]?\s*#)|@import|image(-set)?\s*\(|\\|expression\s*\(/i;

export class UnsafeSvgError extends Error {}

export interface SanitizedSvg {
  /** The clean document, UTF-8 XML with its own `xmlns`. */
  svg: string;
  /** What was taken out (element and attribute names), for the file's processing report. */
  removed: string[];
}

let purifier: { purify: DOMPurify; window: JSDOM['window'] } | undefined;

function instance() {
  if (purifier) return purifier;
  const { window } = new JSDOM('');
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    const name = data.attrName.toLowerCase();
    const value = data.attrValue.trim();
    if (name === 'href' || name === 'xlink:href') {
      const embedded = node.nodeName.toLowerCase() === 'image' && EMBEDDED_IMAGE.test(value);
      if (!LOCAL_REF.test(value) && !embedded) data.keepAttr = false;
      return;
    }
    if (UNSAFE_CSS.test(value)) data.keepAttr = false;
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && UNSAFE_CSS.test(node.textContent ?? '')) {
      purify.removed.push({ element: node });
      node.parentNode?.removeChild(node);
    }
  });
  purifier = { purify, window };
  return purifier;
}

/** The sanitised SVG, or `UnsafeSvgError` when no SVG document survives. */
export function sanitizeSvg(source: string): SanitizedSvg {
  const { purify, window } = instance();
  const fragment = purify.sanitize(source, {
    USE_PROFILES: { svg: true, svgFilters: true },
    // `<use>` is safe once its href can only point inside the document (hook above).
    ADD_TAGS: ['use'],
    RETURN_DOM_FRAGMENT: true,
  });
  const removed = purify.removed.flatMap((entry) => {
    if ('attribute' in entry && entry.attribute) return [`@${entry.attribute.name}`];
    if ('element' in entry && entry.element) {
      const name = entry.element.nodeName.toLowerCase();
      // DOMPurify reports the wrappers of its own parse (`body`, `html`) too.
      return name === 'body' || name === 'html' || name === '#text' ? [] : [name];
    }
    return [];
  });
  const roots = [...fragment.children].filter((el) => el.namespaceURI === SVG_NS && el.localName === 'svg');
  const root = roots[0];
  if (!root || roots.length !== 1)
    throw new UnsafeSvgError('the file holds no single <svg> document after sanitising');
  const svg = new window.XMLSerializer().serializeToString(root);
  return { svg, removed };
}

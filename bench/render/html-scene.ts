/**
 * The benchmark's reference scene written as an HTML page, the way browser-based renderers build
 * videos: DOM and CSS, advanced by script to time t, then screenshotted frame by frame. Same
 * elements, sizes, motion and fonts as reference.template.json (not pixel-identical: a comparison
 * of capture speed, not of looks).
 */
export interface HtmlSceneAssets {
  photoUrl: string;
  logoUrl: string;
  fontRegularUrl: string;
  fontExtraBoldUrl: string;
  headline: string;
  subline: string;
}

export function htmlScene(a: HtmlSceneAssets): string {
  const words = (text: string) =>
    text
      .split(' ')
      .map((w) => `<span class="w">${w}</span>`)
      .join(' ');
  return `<!doctype html>
<html lang="fa"><head><meta charset="utf-8">
<style>
  @font-face { font-family: V; font-weight: 400; src: url('${a.fontRegularUrl}'); }
  @font-face { font-family: V; font-weight: 800; src: url('${a.fontExtraBoldUrl}'); }
  html, body { margin: 0; width: 1920px; height: 1080px; overflow: hidden; background: #0b1020; }
  .layer { position: absolute; left: 0; top: 0; will-change: transform, opacity; }
  #bg { width: 1920px; height: 1080px; background: linear-gradient(125deg, #1e1b4b 0%, #6d28d9 55%, #db2777 100%); }
  #blob { width: 1404px; height: 1404px; border-radius: 50%;
          background: radial-gradient(circle farthest-corner, #00d2a888 0%, #00d2a800 70%); }
  #circle { width: 302px; height: 302px; border-radius: 50%; background: #ffffff33; }
  #rounded { width: 238px; height: 238px; border-radius: 54px; background: #e9456099; }
  #hex { width: 173px; height: 173px; background: #facc15aa;
         clip-path: polygon(50% 0, 93% 25%, 93% 75%, 50% 100%, 7% 75%, 7% 25%); }
  #photo { width: 540px; height: 540px; border-radius: 32px; object-fit: cover; }
  #logo { width: 130px; height: 130px; object-fit: contain; }
  .line { width: 1728px; text-align: center; font-family: V; white-space: nowrap; direction: rtl; }
  #l1 { font-weight: 800; font-size: 81px; color: #fff; }
  #l2 { font-weight: 400; font-size: 49px; color: #c7cbe0; }
  .w { display: inline-block; }
</style></head>
<body>
  <div id="bg" class="layer"></div>
  <div id="blob" class="layer"></div>
  <div id="circle" class="layer"></div>
  <div id="rounded" class="layer"></div>
  <div id="hex" class="layer"></div>
  <img id="photo" class="layer" src="${a.photoUrl}">
  <img id="logo" class="layer" src="${a.logoUrl}">
  <div id="l1" class="layer line">${words(a.headline)}</div>
  <div id="l2" class="layer line">${words(a.subline)}</div>
<script>
  const W = 1920, H = 1080, S = 1080;
  const ease = {
    linear: (p) => p,
    'cubic-in-out': (p) => (p < 0.5 ? 4 * p * p * p : 1 - Math.pow(-2 * p + 2, 3) / 2),
    'cubic-out': (p) => 1 - Math.pow(1 - p, 3),
    'back-out': (p) => 1 + 2.70158 * Math.pow(p - 1, 3) + 1.70158 * Math.pow(p - 1, 2),
  };
  function at(keys, t) {
    if (typeof keys === 'number') return keys;
    if (t <= keys[0][0]) return keys[0][1];
    for (let i = 1; i < keys.length; i++) {
      const [t1, v1, e] = keys[i];
      const [t0, v0] = keys[i - 1];
      if (t <= t1) return v0 + (v1 - v0) * ease[e || 'linear']((t - t0) / (t1 - t0));
    }
    return keys[keys.length - 1][1];
  }
  function place(el, x, y, scale, rotation, opacity) {
    el.style.transform = 'translate(' + (x * W - el.offsetWidth / 2) + 'px,' + (y * H - el.offsetHeight / 2) +
      'px) rotate(' + rotation + 'deg) scale(' + scale + ')';
    el.style.opacity = opacity;
  }
  const $ = (id) => document.getElementById(id);
  function reveal(line, t, start, stagger, duration, easing, rise) {
    [...line.querySelectorAll('.w')].forEach((w, i) => {
      const p = Math.min(1, Math.max(0, (t - start - i * stagger) / duration));
      const e = ease[easing](p);
      w.style.opacity = Math.min(1, p * 1.5);
      w.style.transform = 'translateY(' + (1 - e) * rise * S + 'px)';
    });
  }
  window.seek = (t) => {
    place($('bg'), 0.5, 0.5, 1, 0, 1);
    place($('blob'), at([[0, 0.15], [10, 0.85, 'cubic-in-out']], t), 0.6,
      at([[0, 0.8], [5, 1.3, 'cubic-in-out'], [10, 0.8, 'cubic-in-out']], t), 0, at([[0, 0.4], [5, 0.9], [10, 0.4]], t));
    place($('circle'), at([[0, 0.12], [10, 0.3, 'cubic-in-out']], t),
      at([[0, 0.2], [5, 0.75, 'cubic-in-out'], [10, 0.25, 'cubic-in-out']], t), 1, 0, 1);
    place($('rounded'), at([[0, 0.88], [10, 0.7, 'cubic-in-out']], t), at([[0, 0.75], [10, 0.2, 'cubic-in-out']], t), 1,
      at([[0, 0], [10, 180]], t), 1);
    place($('hex'), at([[0, 0.5], [3, 0.8, 'back-out'], [7, 0.2, 'cubic-in-out'], [10, 0.5]], t), 0.12, 1,
      at([[0, 0], [10, -240]], t), 1);
    place($('photo'), 0.5, 0.42, at([[0, 0.75], [1.2, 1, 'back-out'], [10, 1.15]], t),
      at([[0, -8], [10, 6, 'cubic-in-out']], t), 1);
    place($('logo'), 0.92, 0.12, 1, 0, 1);
    place($('l1'), 0.5, 0.8, 1, 0, 1);
    place($('l2'), 0.5, 0.91, 1, 0, 1);
    reveal($('l1'), t, 0.3, 0.12, 0.5, 'back-out', 0.05);
    reveal($('l2'), t, 1.4, 0.1, 0.4, 'cubic-out', 0.03);
  };
</script></body></html>`;
}

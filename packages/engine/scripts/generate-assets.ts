/*
 * Draws the engine's built-in demo assets (photos as flat illustrations, logos, app screens, a
 * portrait, a product shot) procedurally, so every image the demos use is self-made. Run with
 * `npx tsx packages/engine/scripts/generate-assets.ts`; the output is committed under
 * packages/engine/assets/ and referenced as "builtin:<path>".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { bundledFontFiles } from '../src/node/font-files.provider';
import { seededRandom } from '../src/render/random';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
for (const f of bundledFontFiles()) GlobalFonts.registerFromPath(f.path, `Vazirmatn ${f.weight}`);

type Ctx = SKRSContext2D;

function save(canvas: Canvas, path: string) {
  const file = join(OUT, path);
  mkdirSync(dirname(file), { recursive: true });
  const data = path.endsWith('.png') ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg', 82);
  writeFileSync(file, data);
  console.log(path, `${Math.round(data.length / 1024)} KB`);
}

function vgrad(ctx: Ctx, y0: number, y1: number, stops: [number, string][]) {
  const g = ctx.createLinearGradient(0, y0, 0, y1);
  for (const [o, c] of stops) g.addColorStop(o, c);
  return g;
}

/** A mountain ridge: peaks refined by midpoint displacement, filled down to the bottom. */
function ridge(
  ctx: Ctx,
  w: number,
  h: number,
  base: number,
  amp: number,
  fill: string | CanvasGradient,
  seed: number,
  peaks = 5,
  smooth = false,
) {
  const rnd = seededRandom(seed);
  let pts: [number, number][] = [];
  const n = peaks * 2;
  for (let i = 0; i <= n; i++)
    pts.push([(i / n) * w, base - (i % 2 ? amp * (0.55 + rnd() * 0.45) : amp * rnd() * 0.3)]);
  if (!smooth) {
    let rough = amp * 0.18;
    for (let pass = 0; pass < 5; pass++) {
      const next: [number, number][] = [pts[0]!];
      for (let i = 1; i < pts.length; i++) {
        const [x0, y0] = pts[i - 1]!;
        const [x1, y1] = pts[i]!;
        next.push(
          [(x0 + x1) / 2 + (rnd() - 0.5) * rough * 0.3, (y0 + y1) / 2 + (rnd() - 0.5) * rough],
          [x1, y1],
        );
      }
      pts = next;
      rough *= 0.55;
    }
  }
  ctx.beginPath();
  ctx.moveTo(0, h);
  ctx.lineTo(pts[0]![0], pts[0]![1]);
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1]!;
    const [x1, y1] = pts[i]!;
    if (smooth) ctx.quadraticCurveTo(x0 + (x1 - x0) / 2, i % 2 ? y1 : y0, x1, y1);
    else ctx.lineTo(x1, y1);
  }
  ctx.lineTo(w, h);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
}

function glowDisc(ctx: Ctx, x: number, y: number, r: number, color: string, glow: string) {
  const g = ctx.createRadialGradient(x, y, r * 0.5, x, y, r * 4);
  g.addColorStop(0, glow);
  g.addColorStop(1, 'rgba(255,255,255,0)');
  ctx.fillStyle = g;
  ctx.fillRect(x - r * 4, y - r * 4, r * 8, r * 8);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}

function mountains() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = vgrad(ctx, 0, h * 0.7, [
    [0, '#2b1b4a'],
    [0.45, '#a4436b'],
    [0.8, '#f59b6b'],
    [1, '#ffd29b'],
  ]);
  ctx.fillRect(0, 0, w, h);
  glowDisc(ctx, w * 0.62, h * 0.52, 70, '#fff1cf', 'rgba(255,214,150,0.55)');
  ridge(ctx, w, h, h * 0.6, 260, '#7a3f6b', 11, 4);
  ridge(ctx, w, h, h * 0.7, 200, '#55305f', 12, 5);
  ridge(ctx, w, h, h * 0.8, 160, '#3a2350', 13, 6);
  // Lake with the sun's reflection.
  ctx.fillStyle = vgrad(ctx, h * 0.84, h, [
    [0, '#c9707e'],
    [1, '#2a1a3f'],
  ]);
  ctx.fillRect(0, h * 0.84, w, h * 0.16);
  ctx.fillStyle = 'rgba(255,230,190,0.55)';
  for (let i = 0; i < 9; i++) ctx.fillRect(w * 0.62 - 90 + i * 7, h * 0.86 + i * 14, 180 - i * 14, 4);
  ridge(ctx, w, h, h * 0.93, 40, '#1d1230', 14, 9, true);
  save(c, 'photos/mountains.jpg');
}

function sea() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = vgrad(ctx, 0, h * 0.55, [
    [0, '#5fb2d9'],
    [1, '#cfeaf2'],
  ]);
  ctx.fillRect(0, 0, w, h * 0.56);
  glowDisc(ctx, w * 0.25, h * 0.22, 55, '#fffbe8', 'rgba(255,255,230,0.6)');
  const rnd = seededRandom(7);
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  for (const [cx, cy, s] of [
    [0.6, 0.18, 1],
    [0.82, 0.3, 0.7],
    [0.4, 0.34, 0.55],
  ] as const) {
    for (let i = 0; i < 6; i++) {
      ctx.beginPath();
      ctx.ellipse(w * cx + (i - 3) * 40 * s, h * cy + (i % 2) * -18 * s, 70 * s, 34 * s, 0, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  ctx.fillStyle = vgrad(ctx, h * 0.55, h, [
    [0, '#2e8fb8'],
    [1, '#0b3a5c'],
  ]);
  ctx.fillRect(0, h * 0.55, w, h * 0.45);
  ctx.strokeStyle = 'rgba(255,255,255,0.35)';
  ctx.lineWidth = 3;
  for (let i = 0; i < 70; i++) {
    const y = h * 0.57 + rnd() * h * 0.42;
    const x = rnd() * w;
    const len = 20 + rnd() * 80 * (y / h);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + len, y);
    ctx.stroke();
  }
  // A sailing boat.
  ctx.fillStyle = '#17324a';
  ctx.beginPath();
  ctx.moveTo(w * 0.66, h * 0.62);
  ctx.lineTo(w * 0.78, h * 0.62);
  ctx.lineTo(w * 0.76, h * 0.65);
  ctx.lineTo(w * 0.68, h * 0.65);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#fdf7ee';
  ctx.beginPath();
  ctx.moveTo(w * 0.72, h * 0.36);
  ctx.lineTo(w * 0.72, h * 0.61);
  ctx.lineTo(w * 0.665, h * 0.61);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#f2a65a';
  ctx.beginPath();
  ctx.moveTo(w * 0.725, h * 0.4);
  ctx.lineTo(w * 0.725, h * 0.61);
  ctx.lineTo(w * 0.77, h * 0.61);
  ctx.closePath();
  ctx.fill();
  save(c, 'photos/sea.jpg');
}

function desert() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = vgrad(ctx, 0, h * 0.7, [
    [0, '#0b1030'],
    [0.6, '#27306b'],
    [1, '#6b5a9a'],
  ]);
  ctx.fillRect(0, 0, w, h);
  const rnd = seededRandom(3);
  for (let i = 0; i < 260; i++) {
    const r = rnd() * 1.8 + 0.4;
    ctx.fillStyle = `rgba(255,255,255,${0.3 + rnd() * 0.7})`;
    ctx.beginPath();
    ctx.arc(rnd() * w, rnd() * h * 0.6, r, 0, Math.PI * 2);
    ctx.fill();
  }
  // Crescent moon.
  glowDisc(ctx, w * 0.78, h * 0.2, 60, '#fff3d1', 'rgba(255,240,200,0.35)');
  ctx.fillStyle = '#161b48';
  ctx.beginPath();
  ctx.arc(w * 0.78 + 26, h * 0.2 - 12, 56, 0, Math.PI * 2);
  ctx.fill();
  // Dome and minarets on the horizon.
  ctx.fillStyle = '#1a1738';
  const cx = w * 0.34;
  const base = h * 0.66;
  ctx.fillRect(cx - 160, base - 120, 320, 130);
  ctx.beginPath();
  ctx.moveTo(cx - 120, base - 118);
  ctx.bezierCurveTo(cx - 130, base - 260, cx - 20, base - 290, cx, base - 330);
  ctx.bezierCurveTo(cx + 20, base - 290, cx + 130, base - 260, cx + 120, base - 118);
  ctx.closePath();
  ctx.fill();
  for (const mx of [cx - 230, cx + 230]) {
    ctx.fillRect(mx - 16, base - 300, 32, 310);
    ctx.beginPath();
    ctx.moveTo(mx - 22, base - 300);
    ctx.lineTo(mx, base - 350);
    ctx.lineTo(mx + 22, base - 300);
    ctx.closePath();
    ctx.fill();
  }
  ctx.fillStyle = 'rgba(255,200,120,0.8)';
  for (let i = -2; i <= 2; i++) {
    ctx.beginPath();
    ctx.arc(cx + i * 50, base - 50, 14, Math.PI, 0);
    ctx.lineTo(cx + i * 50 + 14, base - 10);
    ctx.lineTo(cx + i * 50 - 14, base - 10);
    ctx.closePath();
    ctx.fill();
  }
  ridge(
    ctx,
    w,
    h,
    h * 0.74,
    90,
    vgrad(ctx, h * 0.6, h, [
      [0, '#c98a5a'],
      [1, '#7a4a3a'],
    ]),
    21,
    3,
    true,
  );
  ridge(
    ctx,
    w,
    h,
    h * 0.86,
    80,
    vgrad(ctx, h * 0.7, h, [
      [0, '#a8684a'],
      [1, '#4a2a2a'],
    ]),
    22,
    2,
    true,
  );
  save(c, 'photos/desert.jpg');
}

function spring() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = vgrad(ctx, 0, h, [
    [0, '#bfe6f5'],
    [0.6, '#f4f9ef'],
    [1, '#f4f9ef'],
  ]);
  ctx.fillRect(0, 0, w, h);
  ridge(ctx, w, h, h * 0.72, 120, '#9fd38a', 31, 3, true);
  ridge(ctx, w, h, h * 0.82, 90, '#6fb96a', 32, 4, true);
  ridge(ctx, w, h, h * 0.94, 60, '#4a9a55', 33, 5, true);
  const rnd = seededRandom(5);
  // Blossom tree: trunk, branches, and clouds of pink petals.
  ctx.strokeStyle = '#6b4a3a';
  ctx.lineCap = 'round';
  const branch = (x: number, y: number, len: number, angle: number, width: number, depth: number) => {
    const x2 = x + Math.cos(angle) * len;
    const y2 = y + Math.sin(angle) * len;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x2, y2);
    ctx.stroke();
    if (depth > 0) {
      branch(x2, y2, len * 0.72, angle - 0.45 - rnd() * 0.2, width * 0.68, depth - 1);
      branch(x2, y2, len * 0.72, angle + 0.4 + rnd() * 0.2, width * 0.68, depth - 1);
    } else {
      for (let i = 0; i < 14; i++) {
        ctx.fillStyle = ['#f7b6c8', '#f48fb1', '#fde2ea', '#f9c5d5'][Math.floor(rnd() * 4)]!;
        ctx.beginPath();
        ctx.arc(x2 + (rnd() - 0.5) * 70, y2 + (rnd() - 0.5) * 60, 8 + rnd() * 14, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  };
  branch(w * 0.7, h * 0.92, 210, -Math.PI / 2, 34, 5);
  // Goldfish bowl for Nowruz on the grass.
  ctx.fillStyle = 'rgba(200,235,255,0.75)';
  ctx.beginPath();
  ctx.arc(w * 0.3, h * 0.8, 90, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#f57c2a';
  ctx.beginPath();
  ctx.ellipse(w * 0.3, h * 0.82, 30, 16, 0.2, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(w * 0.3 - 26, h * 0.82);
  ctx.lineTo(w * 0.3 - 52, h * 0.8);
  ctx.lineTo(w * 0.3 - 50, h * 0.85);
  ctx.closePath();
  ctx.fill();
  for (let i = 0; i < 30; i++) {
    ctx.fillStyle = `rgba(247,182,200,${0.5 + rnd() * 0.5})`;
    ctx.beginPath();
    ctx.ellipse(rnd() * w, rnd() * h * 0.9, 6, 3.5, rnd() * 3, 0, Math.PI * 2);
    ctx.fill();
  }
  save(c, 'photos/spring.jpg');
}

function city() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = vgrad(ctx, 0, h, [
    [0, '#120f2e'],
    [0.7, '#3b2a62'],
    [1, '#e0607e'],
  ]);
  ctx.fillRect(0, 0, w, h);
  const rnd = seededRandom(9);
  for (const [layer, color, lit] of [
    [0, '#2a2250', 0.15],
    [1, '#1a1536', 0.35],
  ] as const) {
    let x = -20;
    while (x < w) {
      const bw = 60 + rnd() * 120;
      const bh = (layer ? 220 : 340) + rnd() * (layer ? 360 : 320);
      const top = h - bh;
      ctx.fillStyle = color;
      ctx.fillRect(x, top, bw, bh);
      if (rnd() < 0.25) ctx.fillRect(x + bw / 2 - 3, top - 60, 6, 60);
      for (let wy = top + 16; wy < h - 20; wy += 26) {
        for (let wx = x + 10; wx < x + bw - 14; wx += 20) {
          if (rnd() < lit) {
            ctx.fillStyle = rnd() < 0.7 ? 'rgba(255,210,120,0.9)' : 'rgba(150,220,255,0.85)';
            ctx.fillRect(wx, wy, 9, 13);
          }
        }
      }
      x += bw + 6 + rnd() * 20;
    }
  }
  glowDisc(ctx, w * 0.16, h * 0.16, 44, '#fff6e0', 'rgba(255,246,224,0.25)');
  save(c, 'photos/city.jpg');
}

function house() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = vgrad(ctx, 0, h * 0.7, [
    [0, '#8fc9ec'],
    [1, '#e9f5fb'],
  ]);
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#7cc276';
  ctx.fillRect(0, h * 0.78, w, h * 0.22);
  ctx.fillStyle = '#d9d4c9';
  ctx.beginPath();
  ctx.moveTo(w * 0.47, h);
  ctx.lineTo(w * 0.53, h);
  ctx.lineTo(w * 0.51, h * 0.78);
  ctx.lineTo(w * 0.49, h * 0.78);
  ctx.closePath();
  ctx.fill();
  // Two-storey modern house: offset boxes, flat roofs, big warm windows, wood panel.
  const box = (x: number, y: number, bw: number, bh: number, color: string) => {
    ctx.fillStyle = color;
    ctx.fillRect(x, y, bw, bh);
  };
  box(w * 0.24, h * 0.42, w * 0.52, h * 0.37, '#f4f1ea');
  box(w * 0.36, h * 0.2, w * 0.44, h * 0.23, '#ffffff');
  box(w * 0.22, h * 0.4, w * 0.56, h * 0.025, '#3a3f4a');
  box(w * 0.34, h * 0.18, w * 0.48, h * 0.025, '#3a3f4a');
  box(w * 0.6, h * 0.44, w * 0.1, h * 0.35, '#b07a4f');
  for (let i = 0; i < 8; i++) box(w * 0.6 + i * w * 0.0125, h * 0.44, 2, h * 0.35, 'rgba(0,0,0,0.12)');
  const win = (x: number, y: number, ww: number, wh: number) => {
    const g = ctx.createLinearGradient(x, y, x + ww, y + wh);
    g.addColorStop(0, '#ffe2a8');
    g.addColorStop(1, '#f7b35b');
    box(x, y, ww, wh, '#2f3540');
    ctx.fillStyle = g;
    ctx.fillRect(x + 6, y + 6, ww - 12, wh - 12);
    box(x + ww / 2 - 2, y, 4, wh, '#2f3540');
  };
  win(w * 0.28, h * 0.47, w * 0.28, h * 0.25);
  win(w * 0.4, h * 0.24, w * 0.16, h * 0.14);
  win(w * 0.6, h * 0.24, w * 0.16, h * 0.14);
  box(w * 0.72, h * 0.55, w * 0.045, h * 0.24, '#3a3f4a');
  // Trees.
  for (const [tx, s] of [
    [0.12, 1],
    [0.88, 0.85],
  ] as const) {
    box(w * tx - 8, h * 0.62, 16, h * 0.17, '#6b4a3a');
    ctx.fillStyle = '#4e9d5a';
    ctx.beginPath();
    ctx.arc(w * tx, h * 0.55, 90 * s, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#5fb46a';
    ctx.beginPath();
    ctx.arc(w * tx - 30 * s, h * 0.5, 60 * s, 0, Math.PI * 2);
    ctx.fill();
  }
  save(c, 'homes/exterior.jpg');
}

function living() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#efe6da';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = vgrad(ctx, h * 0.72, h, [
    [0, '#c89a6a'],
    [1, '#9c6e45'],
  ]);
  ctx.fillRect(0, h * 0.72, w, h * 0.28);
  ctx.strokeStyle = 'rgba(0,0,0,0.08)';
  ctx.lineWidth = 2;
  for (let x = -h; x < w; x += 90) {
    ctx.beginPath();
    ctx.moveTo(x, h);
    ctx.lineTo(x + 200, h * 0.72);
    ctx.stroke();
  }
  // Big window with a view.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(w * 0.52, h * 0.1, w * 0.36, h * 0.5);
  ctx.fillStyle = vgrad(ctx, h * 0.12, h * 0.58, [
    [0, '#9fd4ef'],
    [1, '#e4f4fa'],
  ]);
  ctx.fillRect(w * 0.53, h * 0.12, w * 0.34, h * 0.46);
  ctx.fillStyle = '#8cc98a';
  ctx.beginPath();
  ctx.ellipse(w * 0.7, h * 0.62, w * 0.2, h * 0.12, 0, Math.PI, 0);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(w * 0.695, h * 0.1, 12, h * 0.5);
  // Sofa.
  const sofa = '#3f5f7f';
  ctx.fillStyle = sofa;
  const r = (x: number, y: number, ww: number, hh: number, rr: number) => {
    ctx.beginPath();
    ctx.roundRect(x, y, ww, hh, rr);
    ctx.fill();
  };
  r(w * 0.08, h * 0.5, w * 0.4, h * 0.16, 24);
  ctx.fillStyle = '#4f7396';
  r(w * 0.06, h * 0.6, w * 0.44, h * 0.13, 24);
  ctx.fillStyle = sofa;
  r(w * 0.05, h * 0.56, w * 0.05, h * 0.18, 20);
  r(w * 0.46, h * 0.56, w * 0.05, h * 0.18, 20);
  ctx.fillStyle = '#f2b134';
  r(w * 0.12, h * 0.52, w * 0.07, h * 0.1, 16);
  ctx.fillStyle = '#e76f51';
  r(w * 0.37, h * 0.52, w * 0.07, h * 0.1, 16);
  // Coffee table, lamp, plant, rug, painting.
  ctx.fillStyle = 'rgba(120,80,60,0.25)';
  ctx.beginPath();
  ctx.ellipse(w * 0.3, h * 0.86, w * 0.25, h * 0.07, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#5a3d2b';
  r(w * 0.2, h * 0.76, w * 0.2, h * 0.03, 8);
  ctx.fillRect(w * 0.22, h * 0.79, 10, h * 0.07);
  ctx.fillRect(w * 0.38 - 10, h * 0.79, 10, h * 0.07);
  ctx.fillStyle = '#2f3540';
  ctx.fillRect(w * 0.92, h * 0.3, 6, h * 0.45);
  ctx.fillStyle = '#f6d28b';
  ctx.beginPath();
  ctx.moveTo(w * 0.9, h * 0.3);
  ctx.lineTo(w * 0.95, h * 0.3);
  ctx.lineTo(w * 0.94, h * 0.22);
  ctx.lineTo(w * 0.91, h * 0.22);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = '#d9c3a5';
  r(w * 0.47, h * 0.66, w * 0.05, h * 0.08, 8);
  ctx.fillStyle = '#4e9d5a';
  for (let i = 0; i < 7; i++) {
    ctx.beginPath();
    ctx.ellipse(
      w * 0.495 + (i - 3) * 14,
      h * 0.6 - Math.abs(i - 3) * -6,
      14,
      40,
      (i - 3) * 0.3,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(w * 0.14, h * 0.16, w * 0.24, h * 0.24);
  const g = ctx.createLinearGradient(w * 0.15, h * 0.17, w * 0.37, h * 0.39);
  g.addColorStop(0, '#e76f51');
  g.addColorStop(0.5, '#f4a261');
  g.addColorStop(1, '#2a9d8f');
  ctx.fillStyle = g;
  ctx.fillRect(w * 0.15, h * 0.17, w * 0.22, h * 0.22);
  save(c, 'homes/living.jpg');
}

function kitchen() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#f3efe8';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#d8d2c8';
  ctx.fillRect(0, h * 0.8, w, h * 0.2);
  // Upper and lower cabinets with handles, backsplash tiles.
  ctx.fillStyle = '#ffffff';
  for (let i = 0; i < 6; i++) ctx.fillRect(w * 0.05 + i * w * 0.15, h * 0.08, w * 0.14, h * 0.22);
  ctx.fillStyle = '#e9f0f2';
  ctx.fillRect(w * 0.05, h * 0.32, w * 0.89, h * 0.16);
  ctx.strokeStyle = 'rgba(0,0,0,0.06)';
  for (let x = w * 0.05; x < w * 0.94; x += 40)
    for (let y = h * 0.32; y < h * 0.48; y += 20) ctx.strokeRect(x + ((y / 20) % 2) * 20, y, 40, 20);
  ctx.fillStyle = '#2f4858';
  ctx.fillRect(w * 0.05, h * 0.48, w * 0.89, h * 0.32);
  ctx.fillStyle = '#cfd6da';
  ctx.fillRect(w * 0.04, h * 0.47, w * 0.91, h * 0.02);
  ctx.fillStyle = '#c9a86b';
  for (let i = 0; i < 6; i++) ctx.fillRect(w * 0.1 + i * w * 0.15, h * 0.55, w * 0.05, 8);
  // Island and stools, pendant lights.
  ctx.fillStyle = '#c89a6a';
  ctx.fillRect(w * 0.25, h * 0.62, w * 0.5, h * 0.22);
  ctx.fillStyle = '#f7f7f7';
  ctx.fillRect(w * 0.23, h * 0.6, w * 0.54, h * 0.03);
  ctx.fillStyle = '#2f3540';
  for (const x of [0.33, 0.5, 0.67]) {
    ctx.fillRect(w * x - 3, 0, 6, h * 0.3);
    ctx.beginPath();
    ctx.moveTo(w * x - 50, h * 0.38);
    ctx.lineTo(w * x + 50, h * 0.38);
    ctx.lineTo(w * x + 20, h * 0.3);
    ctx.lineTo(w * x - 20, h * 0.3);
    ctx.closePath();
    ctx.fill();
    const g = ctx.createRadialGradient(w * x, h * 0.4, 5, w * x, h * 0.4, 160);
    g.addColorStop(0, 'rgba(255,220,150,0.6)');
    g.addColorStop(1, 'rgba(255,220,150,0)');
    ctx.fillStyle = g;
    ctx.fillRect(w * x - 160, h * 0.38, 320, 200);
    ctx.fillStyle = '#2f3540';
  }
  save(c, 'homes/kitchen.jpg');
}

function text(
  ctx: Ctx,
  s: string,
  x: number,
  y: number,
  size: number,
  weight: number,
  color: string,
  align: CanvasTextAlign = 'right',
) {
  ctx.font = `${size}px "Vazirmatn ${weight}"`;
  ctx.fillStyle = color;
  ctx.textAlign = align;
  ctx.direction = /[\u0600-\u06ff]/.test(s) ? 'rtl' : 'ltr';
  ctx.fillText(s, x, y);
}

function appScreen() {
  const [w, h] = [1080, 2340];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#f5f6fb';
  ctx.fillRect(0, 0, w, h);
  const hg = ctx.createLinearGradient(0, 0, w, 700);
  hg.addColorStop(0, '#6c5ce7');
  hg.addColorStop(1, '#e94560');
  ctx.fillStyle = hg;
  ctx.beginPath();
  ctx.roundRect(0, 0, w, 760, [0, 0, 80, 80]);
  ctx.fill();
  text(ctx, 'سلام، مریم 👋'.replace(' 👋', ''), w - 80, 260, 64, 800, '#ffffff');
  text(ctx, 'موجودی کیف پول', w - 80, 360, 40, 400, 'rgba(255,255,255,0.8)');
  text(ctx, '۱۲٬۴۵۰٬۰۰۰ تومان', w - 80, 480, 84, 800, '#ffffff');
  const card = (y: number, title: string, sub: string, color: string) => {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.roundRect(60, y, w - 120, 230, 44);
    ctx.fill();
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.arc(w - 180, y + 115, 62, 0, Math.PI * 2);
    ctx.fill();
    text(ctx, title, w - 280, y + 100, 46, 700, '#1d2033');
    text(ctx, sub, w - 280, y + 165, 36, 400, '#8a90a6');
  };
  card(640, 'انتقال سریع', 'به مخاطبان اخیر', '#ffb547');
  // Weekly chart card.
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.roundRect(60, 930, w - 120, 560, 44);
  ctx.fill();
  text(ctx, 'گزارش هفته', w - 110, 1020, 46, 700, '#1d2033');
  const bars = [0.4, 0.7, 0.5, 0.9, 0.6, 0.8, 0.45];
  bars.forEach((b, i) => {
    const bx = w - 170 - i * 120;
    const bh = 320 * b;
    const g = ctx.createLinearGradient(0, 1420 - bh, 0, 1420);
    g.addColorStop(0, i === 3 ? '#e94560' : '#6c5ce7');
    g.addColorStop(1, i === 3 ? '#ff8a9f' : '#a29bfe');
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.roundRect(bx, 1420 - bh, 64, bh, 20);
    ctx.fill();
  });
  card(1540, 'پرداخت قبوض', 'آب، برق، گاز', '#00b894');
  card(1810, 'کارت هدیه', 'برای نوروز', '#e94560');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, h - 200, w, 200);
  for (let i = 0; i < 4; i++) {
    ctx.fillStyle = i === 0 ? '#6c5ce7' : '#c5c8d6';
    ctx.beginPath();
    ctx.roundRect(w - 190 - i * 250, h - 130, 70, 70, 20);
    ctx.fill();
  }
  save(c, 'screens/app.jpg');
}

function dashboard() {
  const [w, h] = [1600, 1000];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#0f1424';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#161c31';
  ctx.fillRect(w - 260, 0, 260, h);
  text(ctx, 'داشبورد فروش', w - 40, 80, 40, 800, '#ffffff');
  ['نمای کلی', 'سفارش‌ها', 'مشتریان', 'گزارش‌ها', 'تنظیمات'].forEach((s, i) => {
    if (i === 0) {
      ctx.fillStyle = 'rgba(233,69,96,0.18)';
      ctx.beginPath();
      ctx.roundRect(w - 240, 140 + i * 70 - 40, 220, 56, 14);
      ctx.fill();
    }
    text(ctx, s, w - 60, 140 + i * 70, 28, i === 0 ? 700 : 400, i === 0 ? '#ff8aa0' : '#9aa3c0');
  });
  const stat = (x: number, label: string, value: string, color: string) => {
    ctx.fillStyle = '#1b2238';
    ctx.beginPath();
    ctx.roundRect(x, 60, 400, 170, 24);
    ctx.fill();
    text(ctx, label, x + 370, 120, 28, 400, '#9aa3c0');
    text(ctx, value, x + 370, 195, 52, 800, color);
  };
  stat(w - 700, 'درآمد امروز', '۸۴٫۲ م', '#ffffff');
  stat(w - 1130, 'سفارش جدید', '۱٬۲۴۸', '#ffb547');
  ctx.fillStyle = '#1b2238';
  ctx.beginPath();
  ctx.roundRect(40, 270, w - 340, 660, 24);
  ctx.fill();
  text(ctx, 'روند ماهانه', w - 340, 330, 32, 700, '#ffffff');
  const rnd = seededRandom(4);
  const pts = Array.from({ length: 12 }, (_, i) => [100 + i * 100, 820 - (i * 25 + rnd() * 140)] as const);
  const area = ctx.createLinearGradient(0, 400, 0, 900);
  area.addColorStop(0, 'rgba(233,69,96,0.45)');
  area.addColorStop(1, 'rgba(233,69,96,0)');
  ctx.beginPath();
  ctx.moveTo(pts[0]![0], 900);
  for (const [x, y] of pts) ctx.lineTo(x, y);
  ctx.lineTo(pts[pts.length - 1]![0], 900);
  ctx.closePath();
  ctx.fillStyle = area;
  ctx.fill();
  ctx.beginPath();
  for (const [i, [x, y]] of pts.entries()) {
    if (i) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
  }
  ctx.strokeStyle = '#e94560';
  ctx.lineWidth = 6;
  ctx.lineJoin = 'round';
  ctx.stroke();
  save(c, 'screens/dashboard.png');
}

function logo() {
  const s = 512;
  const c = createCanvas(s, s);
  const ctx = c.getContext('2d');
  // Three overlapping rounded panes: the "flat layers" a render is made of.
  const pane = (x: number, y: number, color: string, alpha: number) => {
    ctx.globalAlpha = alpha;
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.roundRect(x, y, 270, 270, 70);
    ctx.fill();
  };
  pane(40, 40, '#6c5ce7', 1);
  pane(121, 121, '#e94560', 0.92);
  pane(202, 202, '#ffb547', 0.95);
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.moveTo(300, 285);
  ctx.lineTo(300, 395);
  ctx.lineTo(395, 340);
  ctx.closePath();
  ctx.fill();
  save(c, 'logos/mark.png');
  writeFileSync(
    join(OUT, 'logos/mark.svg'),
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <rect x="40" y="40" width="270" height="270" rx="70" fill="#6c5ce7"/>
  <rect x="121" y="121" width="270" height="270" rx="70" fill="#e94560" fill-opacity="0.92"/>
  <rect x="202" y="202" width="270" height="270" rx="70" fill="#ffb547" fill-opacity="0.95"/>
  <path d="M300 285 L300 395 L395 340 Z" fill="#ffffff"/>
</svg>
`,
  );
  console.log('logos/mark.svg');
}

function avatar() {
  const s = 512;
  const c = createCanvas(s, s);
  const ctx = c.getContext('2d');
  const g = ctx.createLinearGradient(0, 0, s, s);
  g.addColorStop(0, '#ffd3a5');
  g.addColorStop(1, '#fd6585');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, s, s);
  ctx.fillStyle = '#2f2a4a';
  ctx.beginPath();
  ctx.ellipse(256, 520, 190, 150, 0, Math.PI, 0);
  ctx.fill();
  ctx.fillStyle = '#e8b48f';
  ctx.fillRect(226, 290, 60, 80);
  ctx.beginPath();
  ctx.ellipse(256, 230, 95, 115, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#3b2a25';
  ctx.beginPath();
  ctx.ellipse(256, 170, 110, 80, 0, Math.PI, 0);
  ctx.fill();
  ctx.beginPath();
  ctx.ellipse(175, 240, 34, 110, 0.1, 0, Math.PI * 2);
  ctx.ellipse(337, 240, 34, 110, -0.1, 0, Math.PI * 2);
  ctx.fill();
  save(c, 'people/avatar.png');
}

function product() {
  const [w, h] = [900, 900];
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  // Headphones: a band and two cups, with soft highlights.
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#2d3142';
  ctx.lineWidth = 56;
  ctx.beginPath();
  ctx.arc(450, 470, 270, Math.PI * 1.05, Math.PI * 1.95);
  ctx.stroke();
  ctx.strokeStyle = '#4f5d75';
  ctx.lineWidth = 18;
  ctx.beginPath();
  ctx.arc(450, 470, 262, Math.PI * 1.12, Math.PI * 1.88);
  ctx.stroke();
  for (const x of [190, 710]) {
    const g = ctx.createLinearGradient(x - 90, 430, x + 90, 720);
    g.addColorStop(0, '#ef8354');
    g.addColorStop(1, '#c1440e');
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.roundRect(x - 95, 430, 190, 290, 90);
    ctx.fill();
    ctx.fillStyle = '#2d3142';
    ctx.beginPath();
    ctx.roundRect(x - 60 + (x < 450 ? 60 : -30), 470, 60, 210, 30);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.25)';
    ctx.beginPath();
    ctx.ellipse(x - 30, 500, 20, 50, 0.2, 0, Math.PI * 2);
    ctx.fill();
  }
  save(c, 'products/headphones.png');
}

mkdirSync(OUT, { recursive: true });
mountains();
sea();
desert();
spring();
city();
house();
living();
kitchen();
appScreen();
dashboard();
logo();
avatar();
product();

/**
 * A 24-second gentle arpeggio (Dorian, 96 bpm) with soft pads, synthesised sample by sample and
 * encoded with the system ffmpeg to AAC: a self-made music bed for the demo templates.
 */
function music() {
  const rate = 44100;
  const seconds = 24;
  const n = rate * seconds;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const beat = 60 / 96 / 2;
  const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);
  const chords = [
    [50, 57, 60, 65],
    [48, 55, 60, 64],
    [46, 53, 58, 62],
    [48, 55, 60, 67],
  ];
  for (let bar = 0; bar < seconds / (beat * 8); bar++) {
    const chord = chords[bar % chords.length]!;
    for (let step = 0; step < 8; step++) {
      const note = chord[[0, 1, 2, 3, 2, 1, 3, 2][step]!]! + 12;
      const start = Math.floor((bar * 8 + step) * beat * rate);
      const len = Math.floor(beat * 2.5 * rate);
      const pan = step % 2 ? 0.65 : 0.35;
      for (let i = 0; i < len && start + i < n; i++) {
        const t = i / rate;
        const env = Math.min(1, t * 200) * Math.exp(-t * 3.2);
        const v =
          0.16 * env * (Math.sin(2 * Math.PI * hz(note) * t) + 0.3 * Math.sin(4 * Math.PI * hz(note) * t));
        left[start + i]! += v * (1 - pan);
        right[start + i]! += v * pan;
      }
    }
    const padStart = Math.floor(bar * 8 * beat * rate);
    const padLen = Math.floor(8 * beat * rate);
    for (let i = 0; i < padLen && padStart + i < n; i++) {
      const t = i / rate;
      const env = Math.min(1, t / 0.8) * Math.min(1, (padLen / rate - t) / 0.8);
      let v = 0;
      for (const m of chord) v += Math.sin(2 * Math.PI * hz(m) * t + m) * 0.045;
      left[padStart + i]! += v * env;
      right[padStart + i]! += v * env;
    }
  }
  const pcm = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    const fade = Math.min(1, i / rate / 1.5, (n - i) / rate / 2);
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, left[i]! * fade)) * 32767), i * 4);
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, right[i]! * fade)) * 32767), i * 4 + 2);
  }
  const file = join(OUT, 'music/spring.m4a');
  mkdirSync(dirname(file), { recursive: true });
  const result = spawnSync(
    process.env.FFMPEG_PATH ?? 'ffmpeg',
    [
      '-y',
      '-loglevel',
      'error',
      '-f',
      's16le',
      '-ar',
      String(rate),
      '-ac',
      '2',
      '-i',
      'pipe:0',
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      file,
    ],
    { input: pcm },
  );
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
  console.log('music/spring.m4a');
}

music();

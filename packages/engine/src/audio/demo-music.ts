/**
 * The demo music loop, synthesised from code: nothing is downloaded and the result is ours to ship.
 * A I-V-vi-IV progression at 100 bpm: a soft pad, a plucked arpeggio, kick and hat. Deterministic
 * (a fixed-seed generator stands in for noise) and seamless: every tail that runs past the end is
 * wrapped to the start, so the file loops without a click.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed loop (made by make-demo-music.ts) and how templates refer to it. */
export const DEMO_MUSIC_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'assets',
  'music',
  'demo-loop.m4a',
);
export const DEMO_MUSIC_REF = 'builtin:music/demo-loop.m4a';

export const DEMO_MUSIC_SAMPLE_RATE = 48_000;
const BPM = 100;
const BEAT = 60 / BPM;
const BARS = 8;

// C major I-V-vi-IV, twice; MIDI notes of each chord (root position, voiced around middle C).
const CHORDS = [
  [48, 60, 64, 67],
  [43, 59, 62, 67],
  [45, 57, 60, 64],
  [41, 57, 60, 65],
];

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface SynthesisedAudio {
  sampleRate: number;
  /** Planar stereo, -1..1. */
  channels: [Float32Array, Float32Array];
}

export function synthesiseDemoLoop(): SynthesisedAudio {
  const sr = DEMO_MUSIC_SAMPLE_RATE;
  const length = Math.round(BARS * 4 * BEAT * sr);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  const add = (i: number, l: number, r: number) => {
    const k = ((i % length) + length) % length;
    left[k]! += l;
    right[k]! += r;
  };

  for (let bar = 0; bar < BARS; bar++) {
    const chord = CHORDS[bar % CHORDS.length]!;
    const barStart = bar * 4 * BEAT;
    pad(chord, barStart, 4 * BEAT, sr, add);
    // The second pass adds the arpeggio so the loop has an arc.
    if (bar >= BARS / 2 || bar % 2 === 1) arpeggio(chord, barStart, sr, add, bar);
    for (let beat = 0; beat < 4; beat++) {
      kick(barStart + beat * BEAT, sr, add);
      hat(barStart + (beat + 0.5) * BEAT, sr, add, bar * 4 + beat);
    }
  }
  normalise([left, right], 0.8);
  return { sampleRate: sr, channels: [left, right] };
}

type Add = (i: number, l: number, r: number) => void;

function pad(chord: number[], start: number, duration: number, sr: number, add: Add) {
  const attack = 0.4;
  const release = 0.8;
  const n = Math.round((duration + release) * sr);
  const s0 = Math.round(start * sr);
  chord.forEach((note, v) => {
    const f = hz(note + 12);
    const pan = 0.3 + 0.4 * (v / (chord.length - 1));
    for (let i = 0; i < n; i++) {
      const t = i / sr;
      const env = t < attack ? t / attack : t < duration ? 1 : Math.max(0, 1 - (t - duration) / release);
      // Two slightly detuned partial stacks give a soft, moving pad.
      let x = 0;
      for (let h = 1; h <= 4; h++) {
        x += (Math.sin(2 * Math.PI * f * h * t) + Math.sin(2 * Math.PI * f * 1.003 * h * t)) / (h * h);
      }
      const y = x * env * 0.035;
      add(s0 + i, y * (1 - pan), y * pan);
    }
  });
}

function arpeggio(chord: number[], start: number, sr: number, add: Add, bar: number) {
  const steps = 8;
  const step = (4 * BEAT) / steps;
  const order = [1, 2, 3, 2, 1, 2, 3, 2];
  const random = lcg(7919 * (bar + 1));
  for (let k = 0; k < steps; k++) {
    const note = chord[order[k]!]! + 12;
    pluck(hz(note), start + k * step, 0.9, sr, add, random, k % 2 === 0 ? 0.35 : 0.65);
  }
}

/** Karplus-Strong string: a burst of noise through a damped delay line. */
function pluck(
  f: number,
  start: number,
  duration: number,
  sr: number,
  add: Add,
  random: () => number,
  pan: number,
) {
  const period = Math.max(2, Math.round(sr / f));
  const line = new Float32Array(period);
  for (let i = 0; i < period; i++) line[i] = random() * 2 - 1;
  const n = Math.round(duration * sr);
  const s0 = Math.round(start * sr);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const j = i % period;
    const current = line[j]!;
    line[j] = 0.996 * 0.5 * (current + prev);
    prev = current;
    const y = current * 0.12 * Math.min(1, (n - i) / (0.05 * sr));
    add(s0 + i, y * (1 - pan), y * pan);
  }
}

function kick(start: number, sr: number, add: Add) {
  const n = Math.round(0.35 * sr);
  const s0 = Math.round(start * sr);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    phase += (2 * Math.PI * (45 + 90 * Math.exp(-t * 30))) / sr;
    const y = Math.sin(phase) * Math.exp(-t * 9) * 0.45;
    add(s0 + i, y, y);
  }
}

function hat(start: number, sr: number, add: Add, seed: number) {
  const random = lcg(104729 + seed);
  const n = Math.round(0.06 * sr);
  const s0 = Math.round(start * sr);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const noise = random() * 2 - 1;
    // First difference: a crude high-pass that leaves the hiss and drops the thump.
    const y = (noise - prev) * Math.exp(-(i / sr) * 60) * 0.05;
    prev = noise;
    add(s0 + i, y * 0.8, y);
  }
}

function normalise(channels: Float32Array[], peak: number) {
  let max = 0;
  for (const c of channels) for (const v of c) max = Math.max(max, Math.abs(v));
  if (max === 0) return;
  const gain = peak / max;
  for (const c of channels) for (let i = 0; i < c.length; i++) c[i]! *= gain;
}

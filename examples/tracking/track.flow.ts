/**
 * Multi-object tracking, the PyPipeline seed's use case, as a flow that uses both a source cell and
 * a recurrent connection:
 *
 *   frames (source) → detect (2 clones on worker threads) → track ⟲ (its tracks come back as the next frame's)
 *
 * `frames` makes a video of three dots bouncing in a 100×100 box (seeded, so every run is the same);
 * `detect` finds the dots in a frame, in no particular order, with a little noise (the slow part,
 * scaled out); `track` matches each detection to the track whose predicted position is nearest,
 * using the tracks of the frame before, which the recurrent connection hands it.
 *
 *   pipewright stream examples/tracking/track.flow.ts              one JSON line per frame
 *   pipewright dag examples/tracking/track.flow.ts
 */
import { cell, flow, source } from 'pipewright';

type Point = readonly [number, number];

interface Track {
  readonly id: number;
  readonly at: Point;
  /** Movement per frame, as last seen. */
  readonly velocity: Point;
}

const FRAMES = 300;
const SIZE = 100;

/** A small seeded generator (mulberry32): the same video on every run and every machine. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const frames = source('frames', {
  run: function* () {
    const rand = random(7);
    const dots = [
      { x: 10, y: 20, vx: 1.5, vy: 0.7 },
      { x: 80, y: 30, vx: -1.1, vy: 1.3 },
      { x: 50, y: 90, vx: 0.8, vy: -1.6 },
    ];
    for (let t = 0; t < FRAMES; t++) {
      // Pixels as the camera would give them: where the dots are, and nothing about which is which.
      yield { t, pixels: dots.map((d) => [d.x, d.y] as Point).sort(() => rand() - 0.5), noise: [rand(), rand(), rand()] };
      for (const d of dots) {
        d.x += d.vx;
        d.y += d.vy;
        if (d.x < 0 || d.x > SIZE) d.vx = -d.vx;
        if (d.y < 0 || d.y > SIZE) d.vy = -d.vy;
      }
    }
  },
});

const detect = cell('detect', {
  scale: 2,
  executor: 'threads',
  run: (frame: { t: number; pixels: readonly Point[]; noise: readonly number[] }) => {
    // Stands in for a detector: some work per frame, and an answer a little off.
    let spin = 0;
    for (let i = 0; i < 20_000; i++) spin += Math.sqrt(i);
    const detections = frame.pixels.map(([x, y], i) => [x + (frame.noise[i]! - 0.5) * 0.4, y - (frame.noise[i]! - 0.5) * 0.4] as Point);
    return { t: frame.t, detections, work: spin > 0 };
  },
});

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

const track = cell('track', {
  inputs: ['frame', 'tracks'],
  outputs: ['objects', 'tracks'],
  run: ({ frame, tracks }: { frame: { t: number; detections: readonly Point[] }; tracks: readonly Track[] }) => {
    const next: Track[] = [];
    const free = [...frame.detections];
    // Each track takes the detection nearest where it should be now; the closest pairs go first.
    const pairs = tracks.flatMap((tr) => free.map((d) => ({ tr, d, cost: distance(d, [tr.at[0] + tr.velocity[0], tr.at[1] + tr.velocity[1]]) })))
      .sort((a, b) => a.cost - b.cost);
    const matched = new Set<number>();
    for (const { tr, d, cost } of pairs) {
      if (matched.has(tr.id) || !free.includes(d) || cost > 10) continue;
      matched.add(tr.id);
      free.splice(free.indexOf(d), 1);
      next.push({ id: tr.id, at: d, velocity: [d[0] - tr.at[0], d[1] - tr.at[1]] });
    }
    let id = Math.max(0, ...tracks.map((tr) => tr.id));
    for (const d of free) next.push({ id: ++id, at: d, velocity: [0, 0] });
    next.sort((a, b) => a.id - b.id);
    const objects = next.map((tr) => ({ id: tr.id, x: Math.round(tr.at[0] * 10) / 10, y: Math.round(tr.at[1] * 10) / 10 }));
    return { objects: { t: frame.t, objects }, tracks: next };
  },
});

export default flow('tracking', {
  cells: [frames, detect, track],
  connect: [
    [frames, detect],
    [detect, track.inputs.frame],
    // The tracks this frame ends with are the tracks the next frame starts from; the first starts with none.
    [track.outputs.tracks, track.inputs.tracks, { initial: [] as Track[] }],
  ],
});

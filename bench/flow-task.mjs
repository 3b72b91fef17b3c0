/**
 * Work for the benchmarks, shared by the flows' cells and the bare piscina peers: `spin(ms)` does
 * a fixed amount of arithmetic, about `ms` milliseconds on an idle core (PW_BENCH_LOOPS_PER_MS,
 * calibrated once by bench/flow.mjs), so that a busy machine slows every side alike rather than
 * shortening the work.
 */
export default (i) => i + 1;

const loopsPerMs = Number(process.env.PW_BENCH_LOOPS_PER_MS) || 100_000;

export function spin(ms) {
  let x = 0;
  for (let i = Math.round(ms * loopsPerMs); i > 0; i--) x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
  return x;
}

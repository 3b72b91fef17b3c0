/**
 * What running instances hold: slots of `-j` (an instance asking `cpus: 2` holds two) and GPU
 * devices (`--gpus N`), handed out first come, first served. `-j N` is N commands running, not N
 * stages being looked at: planning and recording happen around the slot, so the next command
 * starts the moment one ends. Each instance that asks for GPUs gets device ids of its own; only
 * instances asking for fractions share a device, and never beyond it.
 */
import { CancelledError } from '../errors.js';

export interface Claim {
  /** Slots of `-j` (at least 1; more than `-j` is taken as all of them). */
  readonly cpus?: number;
  /** Whole devices, or a fraction of one. */
  readonly gpus?: number;
}

export interface Held {
  /** Gives everything back; calling it again does nothing. */
  readonly release: () => void;
  /** The device ids this instance may use (its `CUDA_VISIBLE_DEVICES`); empty when it asked for none. */
  readonly devices: readonly number[];
}

/** A request that can never be met here. */
export class UnsatisfiableClaim extends Error {
  override readonly name = 'UnsatisfiableClaim';
}

interface Waiter {
  readonly cpus: number;
  readonly gpus: number;
  grant(held: Held): void;
}

export class Slots {
  private freeCpus: number;
  /** Free share of each device (1 = unused). */
  private readonly freeGpu: number[];
  private readonly waiting: Waiter[] = [];

  constructor(private readonly cpus: number, gpus = 0) {
    this.freeCpus = cpus;
    this.freeGpu = Array.from({ length: gpus }, () => 1);
  }

  get gpuCount(): number {
    return this.freeGpu.length;
  }

  /** Resolves when the claim is granted; rejects when `signal` aborts first, or at once when it can never be met. */
  acquire(signal: AbortSignal, claim: Claim = {}): Promise<Held> {
    if (signal.aborted) return Promise.reject(new CancelledError(signal.reason));
    const cpus = Math.min(Math.max(1, Math.ceil(claim.cpus ?? 1)), this.cpus);
    const gpus = claim.gpus ?? 0;
    if (gpus > this.freeGpu.length || (gpus > 1 && !Number.isInteger(gpus))) {
      return Promise.reject(new UnsatisfiableClaim(gpus > this.freeGpu.length
        ? `it asks for ${gpus} GPU${gpus === 1 ? '' : 's'} and this machine has ${this.freeGpu.length} (set --gpus N where there are more)`
        : `it asks for ${gpus} GPUs: more than one GPU is asked for in whole devices`));
    }
    // First come, first served: nothing overtakes a waiting claim, so a big one is never starved.
    if (this.waiting.length === 0) {
      const held = this.tryTake(cpus, gpus);
      if (held) return Promise.resolve(held);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        cpus,
        gpus,
        grant: (held) => {
          signal.removeEventListener('abort', onAbort);
          resolve(held);
        },
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new CancelledError(signal.reason));
        this.serve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private tryTake(cpus: number, gpus: number): Held | undefined {
    if (cpus > this.freeCpus) return undefined;
    const devices = this.pickDevices(gpus);
    if (!devices) return undefined;
    this.freeCpus -= cpus;
    const share = gpus >= 1 ? 1 : gpus;
    for (const d of devices) this.freeGpu[d] = this.freeGpu[d]! - share;
    let released = false;
    return {
      devices,
      release: () => {
        if (released) return;
        released = true;
        this.freeCpus += cpus;
        // Fractions given back in another order than taken do not sum to exactly 1 (0.9999999999999999):
        // a device with nothing left on it is whole again, or no whole claim could ever have it.
        for (const d of devices) {
          const free = this.freeGpu[d]! + share;
          this.freeGpu[d] = Math.abs(free - 1) < 1e-9 ? 1 : free;
        }
        this.serve();
      },
    };
  }

  /** Whole devices that are wholly free; for a fraction, the fullest device it still fits on. */
  private pickDevices(gpus: number): number[] | undefined {
    if (gpus === 0) return [];
    if (gpus >= 1) {
      const free = this.freeGpu.flatMap((f, d) => (f === 1 ? [d] : []));
      return free.length >= gpus ? free.slice(0, gpus) : undefined;
    }
    // A tiny epsilon: 0.1 + 0.2 taken from 1 must still leave room for 0.7.
    const fits = this.freeGpu.flatMap((f, d) => (f + 1e-9 >= gpus ? [d] : []));
    if (fits.length === 0) return undefined;
    return [fits.reduce((best, d) => (this.freeGpu[d]! < this.freeGpu[best]! ? d : best))];
  }

  private serve(): void {
    while (this.waiting.length) {
      const head = this.waiting[0]!;
      const held = this.tryTake(head.cpus, head.gpus);
      if (!held) return;
      this.waiting.shift();
      head.grant(held);
    }
  }
}

/** GPUs this machine has: one entry per device under the NVIDIA driver's /proc folder; 0 where there is none. */
export function detectGpus(readdir: (dir: string) => string[]): number {
  try {
    return readdir('/proc/driver/nvidia/gpus').length;
  } catch {
    return 0;
  }
}

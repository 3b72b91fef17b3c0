/**
 * Slots of `-j` and GPU devices, handed out first come, first served: who is granted what, in
 * which order, and what a claim that can never be met is told. controls.test.ts has the property
 * test (never over-committed) and the CLI's view.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CancelledError } from '../../src/errors.js';
import { Slots, UnsatisfiableClaim, detectGpus, type Held } from '../../src/run/slots.js';

const never = new AbortController().signal;

/** Lets every settled promise's reactions run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** Claims in order; `granted` lists the labels in the order they got their slots. */
function claims(slots: Slots) {
  const granted: string[] = [];
  const held = new Map<string, Held>();
  const claim = (label: string, c: { cpus?: number; gpus?: number } = {}, signal = never) => {
    const p = slots.acquire(signal, c).then((h) => {
      granted.push(label);
      held.set(label, h);
      return h;
    });
    p.catch(() => {});
    return p;
  };
  return { granted, held, claim, release: (label: string) => held.get(label)!.release() };
}

describe('cpu slots', () => {
  it('grants up to -j at once, then one per release, in the order asked', async () => {
    const { granted, claim, release } = claims(new Slots(2));
    for (const l of ['a', 'b', 'c', 'd']) void claim(l);
    await settle();
    assert.deepEqual(granted, ['a', 'b']);
    release('b');
    await settle();
    assert.deepEqual(granted, ['a', 'b', 'c']);
    release('a');
    await settle();
    assert.deepEqual(granted, ['a', 'b', 'c', 'd']);
  });

  it('a release given twice frees the slot once', async () => {
    const { granted, claim, release } = claims(new Slots(1));
    for (const l of ['a', 'b', 'c']) void claim(l);
    await settle();
    release('a');
    release('a');
    await settle();
    assert.deepEqual(granted, ['a', 'b'], 'c still waits for b');
  });

  it('a claim of 2 cpus holds two slots; fractions round up; more than -j is all of them', async () => {
    const { granted, claim, release } = claims(new Slots(3));
    void claim('two', { cpus: 2 });
    void claim('half', { cpus: 0.5 });
    void claim('one', { cpus: 1 });
    await settle();
    assert.deepEqual(granted, ['two', 'half'], 'half took one whole slot');
    release('two');
    await settle();
    assert.deepEqual(granted, ['two', 'half', 'one']);
    void claim('huge', { cpus: 99 });
    void claim('more-than-one', { cpus: 1.5 });
    await settle();
    assert.deepEqual(granted, ['two', 'half', 'one']);
    release('half');
    release('one');
    await settle();
    assert.deepEqual(granted, ['two', 'half', 'one', 'huge'], 'a claim above -j runs alone rather than never');
    release('huge');
    await settle();
    assert.deepEqual(granted.at(-1), 'more-than-one');
  });

  it('a claim of 0 cpus still holds one slot', async () => {
    const { granted, claim } = claims(new Slots(1));
    void claim('zero', { cpus: 0 });
    void claim('next');
    await settle();
    assert.deepEqual(granted, ['zero']);
  });

  it('nothing overtakes a waiting claim, even one that would fit', async () => {
    const { granted, claim, release } = claims(new Slots(2));
    void claim('a');
    void claim('big', { cpus: 2 });
    void claim('small');
    await settle();
    assert.deepEqual(granted, ['a'], 'small waits behind big although a slot is free');
    release('a');
    await settle();
    assert.deepEqual(granted, ['a', 'big']);
    release('big');
    await settle();
    assert.deepEqual(granted, ['a', 'big', 'small']);
  });

  it('an aborted wait is cancelled and the claims behind it move up', async () => {
    const { granted, claim, release } = claims(new Slots(2));
    void claim('a');
    const stop = new AbortController();
    const big = claim('big', { cpus: 2 }, stop.signal);
    void claim('small');
    await settle();
    stop.abort(new Error('user'));
    await assert.rejects(big, (err: Error) => err instanceof CancelledError && (err.cause as Error).message === 'user');
    await settle();
    assert.deepEqual(granted, ['a', 'small'], 'the head left: small fits beside a');
    release('a');
    release('small');
    await settle();
    assert.deepEqual(granted, ['a', 'small']);
  });

  it('an abort after the grant changes nothing', async () => {
    const slots = new Slots(1);
    const stop = new AbortController();
    const held = await slots.acquire(stop.signal);
    stop.abort();
    held.release();
    const next = await slots.acquire(never);
    assert.deepEqual(next.devices, []);
  });

  it('an aborted signal is refused at once', async () => {
    const stop = new AbortController();
    stop.abort(new Error('gone'));
    await assert.rejects(new Slots(4).acquire(stop.signal), (err: Error) => err instanceof CancelledError && (err.cause as Error).message === 'gone');
  });
});

describe('GPU devices', () => {
  it('counts the devices it was given', () => {
    assert.equal(new Slots(1).gpuCount, 0);
    assert.equal(new Slots(1, 3).gpuCount, 3);
  });

  it('a claim with no GPUs gets no device', async () => {
    assert.deepEqual((await new Slots(1, 2).acquire(never)).devices, []);
    assert.deepEqual((await new Slots(1, 2).acquire(never, { gpus: 0 })).devices, []);
  });

  it('whole devices: each instance gets ids of its own, and waits when none is wholly free', async () => {
    const { granted, held, claim, release } = claims(new Slots(8, 3));
    void claim('two', { gpus: 2 });
    void claim('one', { gpus: 1 });
    void claim('another', { gpus: 1 });
    await settle();
    assert.deepEqual(granted, ['two', 'one']);
    assert.deepEqual(held.get('two')!.devices, [0, 1]);
    assert.deepEqual(held.get('one')!.devices, [2]);
    release('two');
    await settle();
    assert.deepEqual(held.get('another')!.devices, [0]);
  });

  it('a whole device is not given while a fraction of it is in use', async () => {
    const { granted, held, claim, release } = claims(new Slots(8, 1));
    void claim('quarter', { gpus: 0.25 });
    void claim('whole', { gpus: 1 });
    await settle();
    assert.deepEqual(granted, ['quarter']);
    assert.deepEqual(held.get('quarter')!.devices, [0]);
    release('quarter');
    await settle();
    assert.deepEqual(granted, ['quarter', 'whole']);
  });

  it('a whole claim waits until the last fraction on the device is given back', async () => {
    const { granted, claim, release } = claims(new Slots(8, 1));
    void claim('half', { gpus: 0.5 });
    void claim('quarter', { gpus: 0.25 });
    void claim('whole', { gpus: 1 });
    await settle();
    release('quarter');
    await settle();
    assert.deepEqual(granted, ['half', 'quarter'], 'half still runs on it');
    release('half');
    await settle();
    assert.deepEqual(granted, ['half', 'quarter', 'whole']);
  });

  it('fractions share a device up to its whole, packing the fullest device they fit on', async () => {
    const { granted, held, claim, release } = claims(new Slots(8, 2));
    void claim('a', { gpus: 0.5 });
    await settle();
    assert.deepEqual(held.get('a')!.devices, [0], 'both free: the first');
    void claim('b', { gpus: 0.3 });
    await settle();
    assert.deepEqual(held.get('b')!.devices, [0], 'the fuller device it still fits on');
    void claim('c', { gpus: 0.3 });
    await settle();
    assert.deepEqual(held.get('c')!.devices, [1], '0.2 left on device 0: too little');
    void claim('d', { gpus: 0.2 });
    await settle();
    assert.deepEqual(held.get('d')!.devices, [0], 'exactly what is left');
    void claim('e', { gpus: 0.8 });
    await settle();
    assert.deepEqual(granted, ['a', 'b', 'c', 'd'], 'no device has 0.8 free');
    release('c');
    await settle();
    assert.deepEqual(held.get('e')!.devices, [1]);
  });

  it('a fraction goes to the fullest device it fits on, not the first', async () => {
    const slots = new Slots(8, 2);
    const a = await slots.acquire(never, { gpus: 0.5 });
    const b = await slots.acquire(never, { gpus: 0.5 });
    const c = await slots.acquire(never, { gpus: 0.3 });
    assert.deepEqual([a.devices, b.devices, c.devices], [[0], [0], [1]]);
    a.release();
    b.release();
    // Device 0 is wholly free again, device 1 has 0.7: the small claim packs device 1 and keeps 0 whole.
    assert.deepEqual((await slots.acquire(never, { gpus: 0.2 })).devices, [1]);
    assert.deepEqual((await slots.acquire(never, { gpus: 1 })).devices, [0]);
  });

  it('0.1 and 0.2 taken from a device still leave room for 0.7', async () => {
    const slots = new Slots(8, 1);
    await slots.acquire(never, { gpus: 0.1 });
    await slots.acquire(never, { gpus: 0.2 });
    const { granted, claim } = claims(slots);
    void claim('rest', { gpus: 0.7 });
    await settle();
    assert.deepEqual(granted, ['rest']);
  });

  it('a device whose fractions are all given back is whole again, whatever the sums round to', async () => {
    // 1 - 0.1 - 0.2 + 0.2 + 0.1 is 0.9999999999999999 in floating point; 1 - 0.1 - 0.3 + 0.3 + 0.1 is 1.0000000000000002.
    for (const [a, b] of [[0.1, 0.2], [0.1, 0.3], [0.15, 0.2]] as const) {
      const slots = new Slots(4, 1);
      const first = await slots.acquire(never, { gpus: a });
      const second = await slots.acquire(never, { gpus: b });
      second.release();
      first.release();
      const { granted, claim } = claims(slots);
      void claim('whole', { gpus: 1 });
      await settle();
      assert.deepEqual(granted, ['whole'], `after ${a} and ${b}`);
    }
  });

  it('a grant whose signal aborts later leaves the claims still waiting alone', async () => {
    const { granted, claim, release } = claims(new Slots(1));
    void claim('a');
    const stop = new AbortController();
    void claim('b', {}, stop.signal);
    void claim('c');
    await settle();
    release('a');
    await settle();
    assert.deepEqual(granted, ['a', 'b']);
    stop.abort();
    release('b');
    await settle();
    assert.deepEqual(granted, ['a', 'b', 'c'], 'c was not dropped from the queue');
  });

  it('refuses at once a claim of more devices than there are', async () => {
    await assert.rejects(new Slots(4, 2).acquire(never, { gpus: 3 }), (err: Error) => err instanceof UnsatisfiableClaim
      && err.name === 'UnsatisfiableClaim' && err.message === 'it asks for 3 GPUs and this machine has 2 (set --gpus N where there are more)');
    await assert.rejects(new Slots(4).acquire(never, { gpus: 1 }), { message: 'it asks for 1 GPU and this machine has 0 (set --gpus N where there are more)' });
    await assert.rejects(new Slots(4).acquire(never, { gpus: 0.5 }), { message: 'it asks for 0.5 GPUs and this machine has 0 (set --gpus N where there are more)' });
  });

  it('refuses a fraction above one', async () => {
    await assert.rejects(new Slots(4, 4).acquire(never, { gpus: 1.5 }), (err: Error) => err instanceof UnsatisfiableClaim
      && err.message === 'it asks for 1.5 GPUs: more than one GPU is asked for in whole devices');
  });

  it('finds the machine\'s devices, or none', () => {
    assert.equal(detectGpus((dir) => (dir === '/proc/driver/nvidia/gpus' ? ['0000:01:00.0', '0000:02:00.0'] : [])), 2);
    assert.equal(detectGpus(() => {
      throw new Error('ENOENT');
    }), 0);
  });
});

/**
 * DVC 2's md5 (no `hash:` field) reads CRLF as LF in text files. Whether a file is text is decided
 * once, from the start of the file, and holds for every later MiB: dvc_data's HashStreamFile sets
 * `is_text` on its first read and never again. Checked here on files whose first and later MiB
 * differ, both ways, against md5s computed by DVC's rule written plainly below; then through the
 * user's path: such a file in DVC 2's cache is linked in, and a dvc.lock that records one matches.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { dvcFileMd5 } from '../../src/cache/dvc-md5.js';
import { useProjects, type TestProject } from '../helpers/project.js';

const project = useProjects();
const MiB = 1 << 20;
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

/**
 * DVC 2's md5 as dvc_data computes it (hashfile/hash.py: fobj_md5 reads 2**20 bytes at a time
 * through HashStreamFile; istextfile.py: istextblock), written out plainly here rather than taken
 * from the code under test:
 *   - on the first read only: is_text = istextblock(chunk[:512]), where istextblock is True for an
 *     empty block, False when the block holds a NUL byte, else True when at most 30% of its bytes
 *     are outside TEXT_CHARS = bytes(range(32, 127)) + b"\n\r\t\f\b";
 *   - every chunk: hasher.update(chunk.replace(b"\r\n", b"\n") if is_text else chunk), so a CRLF
 *     whose CR ends one MiB and whose LF starts the next is left as it is.
 * Bytes are handled as latin1 strings so that String.replaceAll does what Python's bytes.replace does.
 */
function md5ByDvcRule(data: Buffer): string {
  const TEXT_CHARS = new Set([...Array.from({ length: 127 - 32 }, (_, i) => 32 + i), 10, 13, 9, 12, 8]);
  const istextblock = (block: Buffer) => {
    if (block.length === 0) return true;
    if (block.includes(0)) return false;
    const nontext = [...block].filter((b) => !TEXT_CHARS.has(b)).length;
    return nontext / block.length <= 0.3;
  };
  const hash = createHash('md5');
  let isText: boolean | undefined;
  for (let at = 0; at < data.length; at += MiB) {
    const chunk = data.subarray(at, at + MiB);
    isText ??= istextblock(chunk.subarray(0, 512));
    hash.update(isText ? Buffer.from(chunk.toString('latin1').replaceAll('\r\n', '\n'), 'latin1') : chunk);
  }
  return hash.digest('hex');
}

/** `n` bytes of CRLF text. */
const crlfText = (n: number) => Buffer.from('a line of text\r\n'.repeat(Math.ceil(n / 16)).slice(0, n), 'latin1');
/** `n` bytes that are binary by DVC's rule: NUL bytes among them, and CRLF too (to show they are kept). */
const binary = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? 13 : i % 13 === 0 ? 10 : (i * 31) % 256)));

/** Starts binary, then a whole MiB and more of CRLF text: hashed as bytes throughout. */
const BINARY_THEN_TEXT = Buffer.concat([binary(MiB), crlfText(MiB + 1000)]);
/** Starts as text, then a MiB of binary with CRLF in it: CRLF read as LF throughout. */
const TEXT_THEN_BINARY = Buffer.concat([crlfText(MiB), binary(MiB), crlfText(500)]);

function write(p: TestProject, path: string, data: Buffer): void {
  mkdirSync(dirname(p.path(path)), { recursive: true });
  writeFileSync(p.path(path), data);
}

describe("DVC 2's md5: text or binary is decided once per file, from its start, as DVC does", () => {
  it('the rule written in this test gives the md5s DVC gives on small files', () => {
    // The expected values by `printf 'a\nb\n' | md5sum` and `printf '\0a\r\nb\r\n' | md5sum`.
    assert.equal(md5ByDvcRule(Buffer.from('a\r\nb\r\n')), 'dd8c6a395b5dd36c56d23275028f526c', 'text: CRLF read as LF');
    assert.equal(md5ByDvcRule(Buffer.from('\0a\r\nb\r\n')), '1336478d095a693e514198c06812ee2f', 'a NUL byte: binary, CRLF kept');
    assert.equal(md5ByDvcRule(Buffer.from('')), 'd41d8cd98f00b204e9800998ecf8427e', 'empty');
  });

  it('a file that starts binary is hashed as bytes, though a later MiB holds CRLF text', () => {
    const p = project();
    write(p, 'big.bin', BINARY_THEN_TEXT);
    const expected = md5ByDvcRule(BINARY_THEN_TEXT);
    assert.equal(expected, md5(BINARY_THEN_TEXT), 'by DVC\'s rule: the raw bytes');
    assert.equal(dvcFileMd5(p.path('big.bin'), 'md5-dos2unix'), expected);
  });

  it('a file that starts as text has its CRLF read as LF in every MiB, though a later MiB is binary', () => {
    const p = project();
    write(p, 'big.txt', TEXT_THEN_BINARY);
    const expected = md5ByDvcRule(TEXT_THEN_BINARY);
    assert.notEqual(expected, md5(TEXT_THEN_BINARY));
    assert.equal(dvcFileMd5(p.path('big.txt'), 'md5-dos2unix'), expected);
  });

  it('only the first 512 bytes decide: NUL bytes later in the first MiB leave the file text', () => {
    const p = project();
    const data = Buffer.concat([crlfText(512), binary(4096), crlfText(MiB)]);
    write(p, 'late-nul.txt', data);
    assert.equal(dvcFileMd5(p.path('late-nul.txt'), 'md5-dos2unix'), md5ByDvcRule(data));
    assert.notEqual(md5ByDvcRule(data), md5(data));
  });

  it('a CRLF split across two MiB is left as it is, as DVC leaves it', () => {
    const p = project();
    const data = Buffer.concat([crlfText(MiB - 1), Buffer.from('\r\nafter\r\n')]);
    assert.equal(data[MiB - 1], 13);
    assert.equal(data[MiB], 10);
    write(p, 'split.txt', data);
    const expected = md5ByDvcRule(data);
    const joined = md5(Buffer.from(data.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'));
    assert.notEqual(expected, joined, 'the split CRLF makes a difference');
    assert.equal(dvcFileMd5(p.path('split.txt'), 'md5-dos2unix'), expected);
  });

  it('DVC 3 (`hash: md5`) hashes the bytes, whatever they hold', () => {
    const p = project();
    write(p, 'big.txt', TEXT_THEN_BINARY);
    assert.equal(dvcFileMd5(p.path('big.txt'), 'md5'), md5(TEXT_THEN_BINARY));
  });
});

describe('through the user path: such files in DVC 2\'s cache and dvc.lock', () => {
  it('checkout links in, not refuses as damaged, a DVC 2 cache object that starts binary and later holds CRLF text', async () => {
    const hash = md5ByDvcRule(BINARY_THEN_TEXT);
    const p = project({
      'dvc.yaml': 'stages:\n  size:\n    cmd: wc -c < data/big.bin > size.txt\n    deps:\n      - data/big.bin\n    outs:\n      - size.txt\n',
      // DVC 2 wrote no `hash:` field.
      'data/big.bin.dvc': `outs:\n- md5: ${hash}\n  size: ${BINARY_THEN_TEXT.length}\n  path: big.bin\n`,
    });
    mkdirSync(p.path('.dvc'));
    write(p, `.dvc/cache/${hash.slice(0, 2)}/${hash.slice(2)}`, BINARY_THEN_TEXT);
    const r = await p.run('checkout');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /damaged/);
    assert.match(r.stdout, /data\/big\.bin from DVC's cache \(data\/big\.bin\.dvc\)/);
    assert.ok(readFileSync(p.path('data/big.bin')).equals(BINARY_THEN_TEXT), 'the bytes as stored');
  });

  it('run restores, not reruns, a stage whose dep starts as text and is later binary, as dvc.lock records it', async () => {
    const dep = md5ByDvcRule(TEXT_THEN_BINARY);
    const out = Buffer.from('done\r\n');
    const cmd = 'wc -c < data/big.txt > out.txt';
    const p = project({
      'dvc.yaml': `stages:\n  count:\n    cmd: ${cmd}\n    deps:\n      - data/big.txt\n    outs:\n      - out.txt\n`,
      'dvc.lock': `schema: '2.0'\nstages:\n  count:\n    cmd: ${cmd}\n    deps:\n    - path: data/big.txt\n      md5: ${dep}\n      size: ${TEXT_THEN_BINARY.length}\n    outs:\n    - path: out.txt\n      md5: ${md5ByDvcRule(out)}\n      size: ${out.length}\n`,
    });
    write(p, 'data/big.txt', TEXT_THEN_BINARY);
    write(p, 'out.txt', out);
    const r = await p.run('run', '-j', '1');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /count restored from DVC's outs \(dvc\.lock records this run\)/);
    assert.equal(p.read('out.txt'), 'done\r\n', 'not run again');
  });
});

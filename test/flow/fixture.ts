/**
 * Flow modules for the tests, written to a temp folder as plain ES modules importing the built
 * library: clones on threads and processes load them by path, as they load a user's flow file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO } from '../helpers/project.js';
import type { FlowDefinition } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-flow-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

const HEADER = `
import { cell, flow } from ${JSON.stringify(pathToFileURL(join(REPO, 'dist/src/index.js')).href)};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const spin = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
/** A delay that looks random but is the same for an item every time. */
const jitter = (i, most) => ((i * 7919) % 13) < 3 ? (i * 31) % (most + 1) : 0;
`;

/** Writes a module with the helpers above in scope; returns its exports. */
export async function flowModule(source: string): Promise<Record<string, FlowDefinition>> {
  const file = join(dir, `flow-${count++}.mjs`);
  writeFileSync(file, HEADER + source);
  return (await import(pathToFileURL(file).href)) as Record<string, FlowDefinition>;
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Writes a script with the helpers above in scope; returns its path. */
export async function flowScript(source: string): Promise<string> {
  const file = join(dir, `script-${count++}.mjs`);
  writeFileSync(file, HEADER + source);
  return file;
}

export function runNode(script: string, nodeArgs: readonly string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

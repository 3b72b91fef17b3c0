/**
 * Graph nodes share their hidden class (graph/graph.ts): a node made by spreading its resolved
 * stage into a copy got one of its own in V8, and 100,000 sweep instances held 56 MB of them. Checked
 * in a child Node with V8's own %HaveSameMap, on a pipeline of 2,000 stages.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO } from '../helpers/project.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-node-shape-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('graph nodes', () => {
  it('of like stages share one hidden class', () => {
    writeFileSync(join(dir, 'pipewright.yaml'), 'stages:\n' + Array.from({ length: 2000 }, (_, i) =>
      `  s${i}:\n    cmd: cp in/${i}.txt out/${i}.txt\n    deps: [in/${i}.txt]\n    outs: [out/${i}.txt]\n`).join(''));
    const script = `
const { loadYamlPipeline } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist/src/define/yaml-pipeline.js')).href)});
const { buildGraph } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist/src/graph/graph.js')).href)});
const graph = buildGraph(loadYamlPipeline(${JSON.stringify(join(dir, 'pipewright.yaml'))}));
const nodes = [...graph.nodes.values()];
let shared = 0;
for (let i = 1; i < nodes.length; i++) if (%HaveSameMap(nodes[0], nodes[i])) shared++;
process.stdout.write(JSON.stringify({ nodes: nodes.length, shared, frozen: nodes.every((n) => Object.isFrozen(n)) }));
`;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { nodes, shared, frozen } = JSON.parse(out) as { nodes: number; shared: number; frozen: boolean };
    assert.equal(nodes, 2000);
    assert.ok(frozen, 'every node is frozen still');
    assert.ok(shared >= nodes - 10, `${shared} of ${nodes - 1} nodes share the first one's hidden class`);
  });
});

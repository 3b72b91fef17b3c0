/**
 * A compiled graph is exactly the pipeline's, even where a sweep's loop would change it: an
 * instance reading another instance of its own sweep (a loop runs its instances at once), and a
 * stage between two instances of one sweep (`b` reads `a@…=seed.txt`, `a@…=b.txt` reads `b`: one
 * loop task and `b` would wait for each other). Such a sweep's instances become tasks of their own;
 * the compiled tasks then run to `pipewright run`'s outs.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { compiledTasks, graphProblems } from './checks.js';
import { compile, listing, MOUNT, TARGETS } from './compiled.js';
import { argoContainers, kfpContainers, runContainers } from './local-runner.js';

const project = useProjects();

const SHAPES = {
  'an instance reading another of its sweep': {
    'seed.txt': 'seed\n',
    'pipewright.yaml': `stages:
  a:
    cmd: cat "\${params.src}.txt" > "a-\${params.src}.txt" && echo a >> "a-\${params.src}.txt"
    params: [src]
    deps: ["\${params.src}.txt"]
    outs: ["a-\${params.src}.txt"]
    sweep:
      space:
        src: {grid: [seed, a-seed]}
`,
  },
  'a stage between two instances of one sweep': {
    'seed.txt': 'seed\n',
    'pipewright.yaml': `stages:
  a:
    cmd: cat "\${params.src}" > "a-\${params.src}" && echo a >> "a-\${params.src}"
    params: [src]
    deps: ["\${params.src}"]
    outs: ["a-\${params.src}"]
    sweep:
      space:
        src: {grid: [seed.txt, b.txt]}
  b:
    cmd: cat a-seed.txt > b.txt && echo b >> b.txt
    deps: [a-seed.txt]
    outs: [b.txt]
`,
  },
} as const;

describe('compiled graphs are exact', () => {
  for (const [shape, files] of Object.entries(SHAPES)) {
    for (const target of TARGETS) {
      it(`${target}, ${shape}: the tasks' graph is list --json's, acyclic, and the tasks make run's outs`, async () => {
        const cluster = project(files);
        const { documents } = await compile(cluster, target);
        const tasks = compiledTasks(target, documents);
        const listed = await listing(cluster);
        assert.deepEqual(graphProblems(tasks, listed), []);
        const taskOf = new Map([...tasks].flatMap(([name, t]) => t.instances.map((i) => [i, name] as const)));
        for (const s of listed) {
          for (const up of s.upstream) assert.notEqual(taskOf.get(up), taskOf.get(s.name), `${up} -> ${s.name} inside one task: the edge is lost`);
        }
        const containers = target === 'kfp' ? kfpContainers(documents) : argoContainers(documents[0]!);
        await runContainers(containers, { mountPath: MOUNT, dir: cluster.dir });
        const local = project(files);
        const ran = await local.run('run');
        assert.equal(ran.code, 0, ran.stdout + ran.stderr);
        for (const s of listed) for (const out of s.outs) assert.equal(cluster.read(out), local.read(out), `${out}`);
      });
    }
  }
});

/**
 * A DVC project in a sub-folder of its repository whose paths reach above it (`../data`, `wdir: ..`, as 14 of
 * the corpus's compiled projects do): the volume holds the repository, and the tasks run in the project's
 * sub-folder of it, so every out lands on the volume. Run here by the local runner with the repository's
 * folder as the volume.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
import { check, compile, MOUNT, TARGETS } from './compiled.js';
import { argoContainers, kfpContainers, runContainers } from './local-runner.js';

const project = useProjects();

const REPOSITORY = {
  'data/raw.txt': 'raw\n',
  'ml/dvc.yaml': `stages:
  prepare:
    cmd: mkdir -p ../work && tr a-z A-Z < ../data/raw.txt > ../work/clean.txt
    deps: [../data/raw.txt]
    outs: [../work/clean.txt]
  report:
    wdir: ..
    cmd: cat work/clean.txt work/clean.txt > report.txt
    deps: [work/clean.txt]
    outs: [report.txt]
`,
};

describe('a project in a sub-folder of its repository', () => {
  for (const target of TARGETS) {
    it(`${target}: tasks run in MOUNT/ml, the volume holds the repository, outs land on it`, async () => {
      const p = project(REPOSITORY);
      const { documents, text } = await compile(p, target, '-C', 'ml');
      check(target, documents);
      assert.match(text, /# Note: its paths reach above the project's folder: the volume must hold the folder that contains ml, and tasks run in \/mnt\/workspace\/ml\./);
      const runs = target === 'kfp' ? kfpContainers(documents) : argoContainers(documents[0]!);
      for (const run of runs) assert.equal(run.args[run.args.indexOf('-C') + 1], `${MOUNT}/ml`);
      await runContainers(runs, { mountPath: MOUNT, dir: p.dir });
      assert.equal(p.read('work/clean.txt'), 'RAW\n');
      assert.equal(p.read('report.txt'), 'RAW\nRAW\n');
      assert.ok(p.exists('ml/.pipewright'), 'the cache is the project\'s, in its folder');
    });
  }

  it('a project whose paths stay inside runs at the mount itself', async () => {
    const p = project({ 'dvc.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n' });
    const { documents, text } = await compile(p, 'argo');
    assert.doesNotMatch(text, /# Note/);
    const [run] = argoContainers(documents[0]!);
    assert.equal(run!.args[run!.args.indexOf('-C') + 1], MOUNT);
  });
});

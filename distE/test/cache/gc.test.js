import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { useProjects } from '../helpers/project.js';
const project = useProjects();
const countObjects = (p) => p.exists('.pipewright/cache/objects') ? readdirSync(p.path('.pipewright/cache/objects'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
describe('pipewright gc', () => {
    it('removes objects the lockfile no longer refers to, reporting what it freed; --keep-run-cache keeps old runs restorable', async () => {
        const p = project({
            'params.yaml': 'size: 1000\n',
            'pipewright.yaml': 'stages:\n  make:\n    cmd: head -c ${params.size} /dev/zero > blob.bin && mkdir -p dir && echo ${params.size} > dir/size.txt\n    params: [size]\n    outs: [blob.bin, dir]\n',
        });
        await p.run('run');
        p.write({ 'params.yaml': 'size: 3000\n' });
        await p.run('run');
        // Two runs: two blobs, two size files, two folder manifests.
        assert.equal(countObjects(p), 6);
        let result = await p.run('gc', '--keep-run-cache');
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^removed 0 objects \(0 B\), kept 6 \(\d\.\d KiB\)\n$/);
        result = await p.run('gc', '--dry-run');
        assert.match(result.stdout, /^would remove 3 objects \(1\.0 KiB\), kept 3 \(3\.0 KiB\)\nwould remove 1 run-cache entries whose outs are gone\n$/);
        assert.equal(countObjects(p), 6);
        result = await p.run('gc');
        assert.match(result.stdout, /^removed 3 objects \(1\.0 KiB\), kept 3 \(3\.0 KiB\)/);
        assert.equal(countObjects(p), 3);
        // The current outs are still restorable; the old params now have to run again.
        p.write({ 'params.yaml': 'size: 1000\n' });
        const back = await p.run('run');
        assert.match(back.stdout, /▶ make \(param size changed 3000 → 1000\)/);
    });
});
//# sourceMappingURL=gc.test.js.map
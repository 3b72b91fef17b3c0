import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { withoutSweeps } from '../../src/cache/code-identity.js';
describe('the code hashed for a TS stage', () => {
    it('leaves out a sweep literal (its size or seed is not code), and only it', () => {
        const source = `const s = stage('t', {\n  sweep: { space: { lr: loguniform(0.001, 0.5) }, samples: 10, seed: 1 }, // draws\n  run: () => 1,\n});`;
        assert.equal(withoutSweeps(source), `const s = stage('t', {\n  sweep: {}, // draws\n  run: () => 1,\n});`);
        assert.equal(withoutSweeps(source.replace('samples: 10', 'samples: 20')), withoutSweeps(source));
        assert.notEqual(withoutSweeps(source.replace('run: () => 1', 'run: () => 2')), withoutSweeps(source));
        const commented = `sweep: { /* } */ space: { a: choice(['}', "{"]) } }, run: f`;
        assert.equal(withoutSweeps(commented), 'sweep: {}, run: f');
    });
    it('keeps everything when a scan could misread the literal: a regex, a division, a template', () => {
        for (const risky of [
            'sweep: { space: { a: choice([/{/.source]) } }, run: () => helper()',
            'sweep: { space: { a: uniform(0, 1 / 3) } }, run: f',
            'sweep: { space: { a: choice([`${"{"}`]) } }, run: f',
        ])
            assert.equal(withoutSweeps(risky), risky, risky);
    });
});
//# sourceMappingURL=code-identity.test.js.map
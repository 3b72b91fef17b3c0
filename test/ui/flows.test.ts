/**
 * The flows page: a real `pipewright serve` of a two-cell flow in the project's folder, items
 * posted to it, and the UI (its API, then Chromium) showing the cells' counts, throughput and
 * queue depth from the server's /metrics.json. A registry entry that points off this machine is
 * never asked.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useProjects, waitFor, type TestProject } from '../helpers/project.js';
import { rawGet, signIn, startUi, type RunningUi } from './helpers.js';
import { consoleProblems, launchChromium, withChromium } from './chromium.js';
const project = useProjects();

const FLOW = `import { cell, flow } from 'pipewright';
const parse = cell('parse', { run: (x: { n: number }) => x.n });
const square = cell('square', { scale: 2, run: async (n: number) => { await new Promise((r) => setTimeout(r, 5)); return n * n; } });
export default flow('squares', [parse, square]);
`;

describe('the flows page', { timeout: 90_000 }, () => {
  let p: TestProject;
  let ui: RunningUi;
  let served: ReturnType<TestProject['start']>;
  let url: string;

  before(async () => {
    p = project({ 'squares.flow.ts': FLOW, 'pipewright.yaml': 'stages:\n  noop:\n    cmd: "true"\n' });
    served = p.start(['serve', 'squares.flow.ts', '--port', '0']);
    await waitFor(() => /serving flow .* on http:\/\/127\.0\.0\.1:\d+/.test(served.output()), 'the flow to be served');
    url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(served.output())![1]!;
    ui = await startUi(p);
  });
  after(async () => {
    served?.child.kill('SIGTERM');
    await served?.done;
    await ui?.stop();
  });

  const post = (n: number) => fetch(url, { method: 'POST', body: JSON.stringify({ n }), headers: { 'content-type': 'application/json' } }).then((r) => r.json());

  it("lists the served flow with its cells' metrics, and ignores an entry that is not on loopback", async () => {
    // Someone's (or something's) entry pointing elsewhere: never fetched, never listed.
    mkdirSync(join(p.dir, '.pipewright/served'), { recursive: true });
    writeFileSync(join(p.dir, '.pipewright/served', `${process.pid}.json`), JSON.stringify({ flow: 'evil', url: 'http://169.254.169.254:80', file: 'x', pid: process.pid, startedAt: 0 }));
    // An entry with a field missing (pid 1 is always there): skipped, not a failed page.
    writeFileSync(join(p.dir, '.pipewright/served', '1.json'), JSON.stringify({ flow: 'half', url: 'http://127.0.0.1:9', pid: 1, startedAt: 1 }));
    assert.deepEqual(await Promise.all([1, 2, 3].map(post)), [1, 4, 9]);
    const cookie = await signIn(ui);
    const flows = JSON.parse((await rawGet(ui.port, '/api/flows', { cookie })).body) as { flow: string; file: string; metrics: { itemsIn: number; cells: { cell: string; items: number; clones: number }[] } }[];
    assert.deepEqual(flows.map((f) => f.flow), ['squares']);
    assert.equal(flows[0]!.file, 'squares.flow.ts', 'a file name, not a path of this machine');
    assert.equal(flows[0]!.metrics.itemsIn, 3);
    assert.deepEqual(flows[0]!.metrics.cells.map((c) => [c.cell, c.items, c.clones]), [['parse', 3, 1], ['square', 3, 2]]);
  });

  withChromium.it('shows the cells live in Chromium, and the flow gone once its server stops', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = consoleProblems(page);
      await page.goto(ui.url);
      await page.locator('header nav a', { hasText: 'flows' }).click();
      const square = page.locator('section.flow[data-flow="squares"] tr[data-cell="square"]');
      await square.waitFor();
      const before = Number(await square.locator('td.items').textContent());
      await Promise.all(Array.from({ length: 40 }, (_, n) => post(n)));
      await square.locator('td.items', { hasText: String(before + 40) }).waitFor({ timeout: 10_000 });
      // A rate once two readings are in.
      await page.waitForFunction(() => /\/s$/.test(document.querySelector('tr[data-cell="square"] td.rate')?.textContent ?? ''));
      assert.equal(await square.locator('td.queued').textContent(), '0');

      served.child.kill('SIGTERM');
      await served.done;
      await page.locator('#flows p.empty').waitFor({ timeout: 10_000 });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});

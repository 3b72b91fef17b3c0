/** Test rig for `pipewright ui`: a project with two recorded runs, and the real CLI serving it. */
import { request } from 'node:http';
import type { TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/project.js';

/** evaluate writes a metric from its param and a log line; two runs differ in that param. */
export const FILES = {
  'params.yaml': 'evaluate:\n  lr: 0.1\n',
  'evaluate.cjs': `const lr = Number(process.argv[2]);
console.log('evaluating at lr ' + lr);
require('fs').writeFileSync('metrics.json', JSON.stringify({ acc: 1 - lr, loss: lr }));`,
  'pipewright.yaml': `stages:
  evaluate:
    cmd: node evaluate.cjs \${params.evaluate.lr}
    params: [evaluate.lr]
    deps: [evaluate.cjs]
    metrics: [metrics.json]
`,
};

export async function recordTwoRuns(p: TestProject): Promise<void> {
  for (const [lr, name] of [['0.1', 'first'], ['0.3', 'second']] as const) {
    p.write({ 'params.yaml': `evaluate:\n  lr: ${lr}\n` });
    const result = await p.run('run', '--name', name);
    if (result.code !== 0) throw new Error(`run failed: ${result.stdout}${result.stderr}`);
  }
}

export interface RunningUi {
  readonly url: string;
  readonly base: string;
  readonly port: number;
  /** What the command printed (stdout and stderr) so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startUi(p: TestProject, ...args: string[]): Promise<RunningUi> {
  const started = p.start(['ui', '--port', '0', ...args]);
  await waitFor(() => /pipewright ui: http/.test(started.output()) || started.child.exitCode !== null, 'the UI to print its URL');
  const url = /pipewright ui: (\S+)/.exec(started.output())?.[1];
  if (!url) throw new Error(`ui did not start: ${started.output()}`);
  const { origin, port } = new URL(url);
  return {
    url, base: origin, port: Number(port), output: started.output,
    stop: async () => {
      started.child.kill('SIGTERM');
      const result = await started.done;
      if (result.code !== 0) throw new Error(`ui exited ${result.code}: ${result.stderr}`);
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A GET with the request target sent exactly as given (fetch and URL would normalise `..` and
 * `%2e` away before the server ever saw them, which would test nothing).
 */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (t: string) => (body += t)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Trades the token for the session cookie, as the browser does on opening the URL. */
export async function signIn(ui: RunningUi): Promise<string> {
  const reply = await rawGet(ui.port, new URL(ui.url).pathname + new URL(ui.url).search);
  const cookie = ([] as string[]).concat(reply.headers['set-cookie'] ?? [])[0];
  if (reply.status !== 303 || !cookie) throw new Error(`no cookie: ${reply.status}`);
  return cookie.split(';')[0]!;
}

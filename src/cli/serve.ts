/** `pipewright serve FILE`: a flow behind HTTP. SIGTERM (or Ctrl-C) drains the requests in flight, then exits 0. */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode, positiveInt, runCommand } from './common.js';
import { layout } from '../layout.js';
import { loopbackUrl, registerServed } from '../flow/served.js';

export function serveCommandDefinition(): Command {
  return new Command('serve')
    .description('serve a flow over HTTP: POST / (one item), POST /batch (an array), GET /health, GET /metrics (and /metrics.json)')
    .argument('<file>', 'the flow file (for example score.flow.ts)')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', (v) => (v === '0' ? 0 : positiveInt(v)), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText('after', `
While it listens, \`pipewright ui\` started in the same folder shows the flow's cells live: items,
throughput, latency and queue depth (from GET /metrics.json).

Example:
  pipewright serve examples/spam-stream/spam.flow.ts --port 8080
  curl -s localhost:8080 -d '{"text": "WIN a prize now"}'`)
    .action((file: string, flags: { port: number; host: string }) => runCommand(async () => {
      const { loadOptional, OPTIONAL } = await import('../optional-package.js');
      const [{ loadFlowFile }, { serveFlow }] = await Promise.all([import('../flow/load-flow.js'), loadOptional(OPTIONAL.serve, () => import('../flow/serve.js'))]);
      const definition = await loadFlowFile(resolve(file), file);
      const server = await serveFlow(definition, { port: flags.port, host: flags.host });
      // Listened for before the URL is out (see ui.ts): whoever read it may stop us at once.
      let unregister = () => {};
      const stopped = new Promise<void>((done) => {
        const stop = (signal: string) => {
          process.stderr.write(`${signal}: finishing the requests in flight…\n`);
          unregister();
          void server.close().then(() => {
            process.stderr.write('stopped\n');
            done();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      const { port } = new URL(server.url);
      unregister = registerServed(layout(process.cwd()).served, {
        flow: definition.name, url: loopbackUrl(flags.host, Number(port)), file: resolve(file), pid: process.pid, startedAt: Date.now(),
      });
      process.stderr.write(`serving flow "${definition.name}" on ${server.url}\n`);
      await stopped;
      return ExitCode.ok;
    }));
}

/**
 * A real S3-protocol server for tests: s3rver (pure npm, no binary download) on 127.0.0.1 at a free
 * port, storing in a temp folder, with every request it receives recorded so that tests can count
 * what a command costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  readonly httpServer: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface S3Request {
  readonly method: string;
  /** Path and query, as sent (path style: /bucket/key?query). */
  readonly url: string;
}

export class S3TestServer {
  readonly requests: S3Request[] = [];
  private constructor(private readonly server: S3rverInstance, private readonly dir: string, readonly endpoint: string, readonly bucket: string) {}

  static async start(bucket = 'pipewright-test'): Promise<S3TestServer> {
    const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
    const dir = mkdtempSync(join(tmpdir(), 'pw-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
    const { port } = await server.run();
    const started = new S3TestServer(server, dir, `http://127.0.0.1:${port}`, bucket);
    server.httpServer.on('request', (req: IncomingMessage) => started.requests.push({ method: req.method ?? '', url: req.url ?? '' }));
    return started;
  }

  /** The environment a CLI run needs to talk to it: s3rver's fixed credentials, and no instance-metadata lookups. */
  get env(): NodeJS.ProcessEnv {
    return { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
  }

  /** Requests since `from` (an index into `requests`). */
  since(from: number): S3Request[] {
    return this.requests.slice(from);
  }

  async stop(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A port on 127.0.0.1 that nothing listens on (taken, then freed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

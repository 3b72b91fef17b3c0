/**
 * An S3 remote, on AWS or on any S3-compatible store (MinIO, Ceph, R2, …) through `endpoint`.
 * A PUT is atomic in S3 (an object appears whole, or not at all), and so is a multipart upload
 * (it appears on completion), so two machines pushing the same object leave one whole copy.
 * Credentials come from the AWS SDK's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
 * AWS_PROFILE, ~/.aws/credentials, …), never from the committed config file.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PipelineError } from '../errors.js';
import type { RemoteBackend } from './backend.js';
import type { RemoteLocation } from './url.js';
import { describeLocation } from './url.js';
import { OPTIONAL, requireOptional } from '../optional-package.js';

// Loaded from node_modules by require, not bundled: bundled, an ES import of this CommonJS
// package has no named exports, and only S3 remotes pay for its loading.
// The SDK warns on every process under Node < 22 about its releases of 2027; the installed release
// is pinned by the lockfile and works here, so the warning would only be noise in push's output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const {
  S3Client, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, GetObjectCommand, DeleteObjectsCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand,
} = requireOptional(OPTIONAL.s3, () => createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3'));

type S3Location = Extract<RemoteLocation, { kind: 's3' }>;

export interface S3Options {
  /** Files from this size on go up in parts (S3 takes at most 5 GiB in one PUT). */
  readonly multipartFrom?: number;
  readonly partSize?: number;
}

const MiB = 1024 * 1024;

export class S3Backend implements RemoteBackend {
  readonly requests: Record<string, number> = {};
  private readonly client: InstanceType<typeof S3Client>;
  private readonly multipartFrom: number;
  private readonly partSize: number;

  constructor(readonly location: S3Location, options: S3Options = {}) {
    this.multipartFrom = options.multipartFrom ?? 256 * MiB;
    this.partSize = options.partSize ?? 64 * MiB;
    this.client = new S3Client({
      region: location.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
      ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
      // Checksums only where S3 requires them: many S3-compatible stores refuse the SDK's newer
      // default checksum headers, and every download is verified against its xxh3 hash anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async check(_purpose: 'read' | 'write'): Promise<void> {
    await this.call('head-bucket', () => this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket })));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.call('head', () => this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) })), true);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  list(prefix: string): Promise<string[]> {
    return this.listKeys(prefix, '/');
  }

  listDeep(prefix: string): Promise<string[]> {
    return this.listKeys(prefix, undefined);
  }

  private async listKeys(prefix: string, delimiter: string | undefined): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('list', () => this.client.send(new ListObjectsV2Command({
        Bucket: this.location.bucket, Prefix: this.keyOf(prefix), ...(delimiter ? { Delimiter: delimiter } : {}), ...(token ? { ContinuationToken: token } : {}),
      })));
      for (const item of page.Contents ?? []) if (item.Key) keys.push(prefix + item.Key.slice(this.keyOf(prefix).length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async upload(key: string, file: string, size: number): Promise<void> {
    if (size >= this.multipartFrom) return this.uploadInParts(key, file, size);
    await this.call('put', () => this.client.send(new PutObjectCommand({
      Bucket: this.location.bucket, Key: this.keyOf(key), Body: createReadStream(file), ContentLength: size,
    })));
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    await this.call('put', () => this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key), Body: bytes })));
  }

  async download(key: string, to: string): Promise<boolean> {
    let body: Readable;
    try {
      const got = await this.call('get', () => this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) })), true);
      body = got.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    await pipeline(body, createWriteStream(to));
    return true;
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const got = await this.call('get', () => this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) })), true);
      return Buffer.from(await got.Body!.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.call('delete', () => this.client.send(new DeleteObjectsCommand({
        Bucket: this.location.bucket, Delete: { Objects: batch.map((k) => ({ Key: this.keyOf(k) })), Quiet: true },
      })));
    }
  }

  close(): void {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  /** A multipart upload: invisible until completed, aborted (its parts freed) on any failure. */
  private async uploadInParts(key: string, file: string, size: number): Promise<void> {
    const target = { Bucket: this.location.bucket, Key: this.keyOf(key) };
    const { UploadId } = await this.call('create-multipart', () => this.client.send(new CreateMultipartUploadCommand(target)));
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let start = 0, part = 1; start < size; start += this.partSize, part++) {
        const end = Math.min(size, start + this.partSize);
        const { ETag } = await this.call('upload-part', () => this.client.send(new UploadPartCommand({
          ...target, UploadId, PartNumber: part, ContentLength: end - start, Body: createReadStream(file, { start, end: end - 1 }),
        })));
        parts.push({ ETag: ETag!, PartNumber: part });
      }
      await this.call('complete-multipart', () => this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: parts } })));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ ...target, UploadId })).catch(() => {});
      throw err;
    }
  }

  /** Counts the request, and turns the store's refusals into errors that say what to do. */
  private async call<T>(kind: string, send: () => Promise<T>, notFoundIsAnswer = false): Promise<T> {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
    try {
      return await send();
    } catch (err) {
      if (notFoundIsAnswer && isNotFound(err)) throw err;
      throw this.explain(err);
    }
  }

  private explain(err: unknown): unknown {
    const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const where = describeLocation(this.location);
    const status = e.$metadata?.httpStatusCode;
    if (e.name === 'NoSuchBucket' || (e.name === 'NotFound' && status === 404)) {
      return new PipelineError('remote', `S3 bucket "${this.location.bucket}" does not exist (${where})`, undefined, 'create the bucket, or fix the remote: pipewright remote add NAME s3://bucket/prefix --force');
    }
    if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '') && !status) {
      return new PipelineError('remote', `no AWS credentials for ${where}`, undefined, 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or write ~/.aws/credentials');
    }
    if (status === 403 || e.name === 'AccessDenied' || e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch') {
      return new PipelineError('remote', `access to ${where} was refused (${e.name ?? status})`, undefined, 'check the AWS credentials in use (AWS_ACCESS_KEY_ID, AWS_PROFILE) and their permissions on the bucket');
    }
    const code = e.code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
      return new PipelineError('remote', `cannot reach ${where} (${code})`, undefined, this.location.endpoint ? 'is the endpoint right, and the server up?' : 'check the network');
    }
    return new PipelineError('remote', `S3 request to ${where} failed: ${e.name ?? 'error'}: ${e.message ?? String(err)}`);
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
}

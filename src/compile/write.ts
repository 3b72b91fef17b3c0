/**
 * The one writer at the end: compiled documents as YAML text, and that text as the `.tar.gz`
 * Kubeflow's UI accepts (what the seed's `compiler.Compiler().compile(..., 'x.tar.gz')` wrote).
 */
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

// The CommonJS build of `yaml`, as export.ts loads it (the bundle's ES import of it has no named exports).
const YAML = createRequire(import.meta.url)('yaml') as typeof import('yaml');

/**
 * YAML documents separated by `---`, a comment block first. Long strings are never folded. A
 * string that a YAML 1.1 reader (Go's yaml.v2 in argo, kubectl and the KFP server; PyYAML in the
 * KFP SDK) or a 1.2 reader would take for something else (`2023-01-01`, `yes`, `on`, `12:30`,
 * `1_000`, `0b101`, `0o17`) is written quoted, so every reader reads the same string.
 */
export function yamlText(header: string, documents: readonly unknown[]): string {
  const body = documents.map((doc) => {
    const document = new YAML.Document(doc);
    YAML.visit(document, {
      Scalar(_, node) {
        if (typeof node.value === 'string' && readsAsSomethingElse(node.value)) node.type = 'QUOTE_DOUBLE';
      },
    });
    return document.toString({ lineWidth: 0, indentSeq: false });
  }).join('---\n');
  return `${header}\n${body}`;
}

/** Words YAML 1.1 resolves to booleans or null; anything else ambiguous starts with a digit, a sign, a dot or `~`. */
const MAYBE_NOT_A_STRING = /^[-+.~0-9]|^(y|n|yes|no|on|off|true|false|null)$/i;

/** Whether `text`, written plain, would be read back as anything but this string under YAML 1.1 or 1.2. */
function readsAsSomethingElse(text: string): boolean {
  if (!MAYBE_NOT_A_STRING.test(text)) return false;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (YAML.parse(text, { version }) !== text) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * Where `--tar -o FILE` writes, and the name of the YAML inside: FILE as given when it already ends
 * in `.tar.gz` or `.tgz` (the YAML inside named after it without that ending, `.yaml` added when it
 * has none), else FILE + `.tar.gz` holding FILE's own name.
 */
export function tarTarget(file: string): { archive: string; member: string } {
  const ending = /\.(tar\.gz|tgz)$/i.exec(file);
  const name = (ending ? file.slice(0, ending.index) : file).split(/[\\/]/).pop()!;
  if (!ending) return { archive: `${file}.tar.gz`, member: name };
  return { archive: file, member: /\.ya?ml$/i.test(name) ? name : `${name}.yaml` };
}

/** A gzipped tar holding one file (ustar, as Python's tarfile writes it). */
export function tarGz(fileName: string, content: string): Buffer {
  const data = Buffer.from(content, 'utf8');
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text, offset, Math.min(length, Buffer.byteLength(text)), 'utf8');
  const octal = (n: number, length: number) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  if (Buffer.byteLength(fileName) > 100) throw new Error(`file name too long for a tar header: ${fileName}`);
  put(fileName, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  header.fill(' ', 148, 156);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return gzipSync(Buffer.concat([header, data, padding, Buffer.alloc(1024)]));
}

/**
 * Which params are real numbers although their value is whole: `lr: 1.0` in a params file (YAML
 * and JSON readers give 1), or a TS stage's `z.number()` that is not `.int()`. Kubeflow types a
 * parameter by its default, and a NUMBER_INTEGER parameter's run form refuses 0.5: these must be
 * NUMBER_DOUBLE. Read from the files' text, only when compiling.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Node as YamlNode } from 'yaml';

/** Dotted keys (`train.lr`) whose number is written with a point or an exponent, in any of the files. */
export function realNumberKeys(files: readonly string[]): Set<string> {
  // Loaded as yaml-source.ts loads it: bundled, an ES import of this CommonJS package has no named exports.
  const { parseDocument, isMap, isScalar } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const found = new Set<string>();
  for (const file of files) {
    if (!/\.(ya?ml|json)$/i.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const walk = (node: YamlNode | null | undefined, path: string) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (key !== undefined) walk(pair.value as YamlNode, path ? `${path}.${key}` : key);
        }
      } else if (isScalar(node) && typeof node.value === 'number' && node.range && /[.eE]/.test(text.slice(node.range[0], node.range[1]))) {
        found.add(path);
      }
    };
    walk(parseDocument(text).contents as YamlNode, '');
  }
  return found;
}

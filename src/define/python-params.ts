/**
 * Params from a Python file, as DVC reads them: top-level `NAME = <literal>` and, one level down,
 * `class Name:` attributes (`Name.attr`). Values that are not literals are skipped, as DVC skips
 * them. Literals are read as YAML flow values, which cover Python's numbers, strings, lists and
 * dicts; `True`, `False` and `None` are mapped first.
 */
import jsYaml from 'js-yaml';
import { setOwn } from './interpolate.js';

export function parsePythonParams(text: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  let inClass: Record<string, unknown> | undefined;
  let classIndent = -1; // the indentation of the class body: deeper lines are in its methods
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const cls = /^class\s+([A-Za-z_]\w*)\s*(\([^)]*\))?\s*:\s*$/.exec(line);
    if (cls) {
      inClass = {};
      classIndent = -1;
      setOwn(params, cls[1]!, inClass);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const indented = indent > 0;
    if (!indented) inClass = undefined;
    else if (inClass && classIndent < 0) classIndent = indent;
    const assignment = /^\s*([A-Za-z_]\w*)\s*(?::\s*[^=]+)?=\s*(.+?)\s*$/.exec(line);
    if (!assignment || (indented && (!inClass || indent !== classIndent))) continue;
    const value = literal(assignment[2]!);
    if (value === undefined) continue;
    // `__proto__` is a Python name like any other: a key of its own here.
    setOwn(indented ? inClass! : params, assignment[1]!, value);
  }
  return params;
}

function literal(source: string): unknown {
  const text = source.replace(/\s+#.*$/, '');
  if (!/^(['"[{\d+-]|True$|False$|None$)/.test(text)) return undefined; // a name or a call: not a literal
  const mapped = text.replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\b(True|False|None)\b/g,
    (_match, str: string | undefined, word: string | undefined) => str ?? (word === 'True' ? 'true' : word === 'False' ? 'false' : 'null'));
  try {
    const value: unknown = jsYaml.load(mapped, { schema: jsYaml.CORE_SCHEMA });
    return typeof value === 'string' && !/^['"]/.test(text) ? undefined : value;
  } catch {
    return undefined;
  }
}

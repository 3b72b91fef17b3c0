import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  yaml
} from "./chunk-DD6A6ORU.js";
import {
  PipelineError
} from "./chunk-VYRDMYYG.js";

// src/define/stage.ts
import { fileURLToPath } from "node:url";
var EXECUTOR_KINDS = ["inline", "threads", "processes"];
var PIPELINE = /* @__PURE__ */ Symbol.for("pipewright.pipeline");
var OUT_REF = /* @__PURE__ */ Symbol.for("pipewright.outRef");
var ALL_REF = /* @__PURE__ */ Symbol.for("pipewright.allRef");
var PACKAGE_DIR = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");
function isPipeline(value) {
  return typeof value === "object" && value !== null && value[PIPELINE] === true;
}
function isOutRef(value) {
  return typeof value === "object" && value !== null && value[OUT_REF] === true;
}
function isAllRef(value) {
  return typeof value === "object" && value !== null && value[ALL_REF] === true;
}

// src/define/yaml-source.ts
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { createRequire } from "node:module";
function displayPath(file) {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}
function readYamlSource(file, code = "yaml-syntax") {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new PipelineError(code, `cannot read ${displayPath(file)}: ${err.message}`, { file: displayPath(file) });
  }
  return parseYamlSource(file, text);
}
function parseYamlSource(file, text) {
  const display = displayPath(file);
  let data;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: display });
  } catch (err) {
    const { doc, positionAt } = documentOf(text, display);
    const first = doc.errors[0];
    if (first) {
      const where = positionAt(first.pos[0]);
      const line = text.split("\n")[(where.line ?? 1) - 1] ?? "";
      const templateInFlow = /\[[^\]]*\$\{/.test(line);
      throw new PipelineError(
        "yaml-syntax",
        `invalid YAML: ${firstLine(first.message)}`,
        where,
        first.code === "DUPLICATE_KEY" ? "each key may appear once in a mapping" : templateInFlow ? 'a ${...} path inside [...] must be quoted, or written as a block list (one "- path" per line)' : void 0
      );
    }
    const mark = err.mark;
    throw new PipelineError(
      "yaml-syntax",
      `invalid YAML: ${err.reason ?? err.message}`,
      { file: display, line: mark ? mark.line + 1 : void 0, col: mark ? mark.column + 1 : void 0 }
    );
  }
  let parsed;
  return {
    file,
    display,
    data,
    positionOf(path, part = "value") {
      let found;
      const locate = () => found ??= locateNode(path, part);
      return { file: display, get line() {
        return locate().line;
      }, get col() {
        return locate().col;
      } };
    }
  };
  function locateNode(path, part) {
    parsed ??= documentOf(text, display);
    const { isNode } = yamlLibrary();
    const { doc, positionAt } = parsed;
    for (let depth = path.length; depth >= 0; depth--) {
      const sub = path.slice(0, depth);
      if (part === "key" && depth === path.length && depth > 0) {
        const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
        const pair = isNode(parent) && "items" in parent ? parent.items.find((item) => isNode(item.key) && item.key.value === sub.at(-1)) : void 0;
        if (pair && isNode(pair.key) && pair.key.range) return positionAt(pair.key.range[0]);
      }
      const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
      if (isNode(node) && node.range) return positionAt(node.range[0]);
    }
    return { file: display };
  }
}
var yamlLibrary = () => createRequire(import.meta.url)("yaml");
function documentOf(text, display) {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return {
    doc,
    positionAt: (offset) => {
      const pos = lineCounter.linePos(offset);
      return { file: display, line: pos.line, col: pos.col };
    }
  };
}
function schemaError(source, issues, describe) {
  const issue = issues[0];
  const path = issue.path.filter((p) => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    return new PipelineError(
      "yaml-schema",
      `${describe(path)}: unknown key "${key}"`,
      source.positionOf([...path, key], "key"),
      `remove it or use one of the supported keys`
    );
  }
  return new PipelineError("yaml-schema", `${describe(path)}: ${issue.message}`, source.positionOf(path));
}
function firstLine(text) {
  return text.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

export {
  EXECUTOR_KINDS,
  isPipeline,
  isOutRef,
  isAllRef,
  displayPath,
  readYamlSource,
  schemaError
};
//# sourceMappingURL=chunk-QD3IAF33.js.map

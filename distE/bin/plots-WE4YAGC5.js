import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  yaml
} from "./chunk-DD6A6ORU.js";
import "./chunk-72MSOLL7.js";

// src/report/plots.ts
import { extname } from "node:path";
var X_FIELDS = ["step", "epoch", "x", "iteration"];
function parsePlotData(path, text) {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") {
    const separator = ext === ".csv" ? "," : "	";
    const [header, ...lines] = text.trim().split(/\r?\n/);
    const fields = header.split(separator).map((f) => f.trim());
    return lines.map((line) => Object.fromEntries(line.split(separator).map((cell, i) => [fields[i], cell.trim() !== "" && !Number.isNaN(Number(cell)) ? Number(cell) : cell])));
  }
  const data = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  if (Array.isArray(data)) return data;
  if (data && typeof data === "object") {
    const list = Object.values(data).find(Array.isArray);
    if (list) return list;
  }
  throw new Error(`${path}: expected a list of records (or an object holding one)`);
}
var IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".gif", ".svg"];
function chartSpec(definition, series) {
  const runs = new Set(series.map((s) => s.run)).size;
  const files = new Set(series.map((s) => s.file)).size;
  let xName;
  const fieldNames = /* @__PURE__ */ new Set();
  const values = series.flatMap((s) => {
    const sample = s.rows[0] ?? {};
    const x = s.x ?? X_FIELDS.find((f) => typeof sample[f] === "number");
    xName ??= x;
    const ys = s.y.length ? s.y : Object.keys(sample).filter((k) => k !== x && typeof sample[k] === "number");
    for (const y of ys) fieldNames.add(y);
    return s.rows.flatMap((row, i) => ys.map((field) => ({
      series: [runs > 1 ? s.run : "", files > 1 ? s.file : "", ys.length > 1 ? field : ""].filter(Boolean).join(": ") || field,
      x: x ? row[x] : i,
      y: row[field],
      run: s.run,
      file: s.file,
      field
    })));
  });
  const yName = fieldNames.size === 1 ? [...fieldNames][0] : "value";
  const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title: definition.title ?? definition.id, data: { values } };
  const xTitle = definition.xLabel ?? xName ?? "row";
  const yTitle = definition.yLabel ?? yName;
  const color = { field: "series", type: "nominal", title: null, legend: { labelLimit: 320 } };
  const tooltip = [{ field: "run" }, { field: "file" }, { field: "x" }, { field: "y" }];
  if (definition.template.startsWith("confusion")) {
    return {
      ...base,
      width: 300,
      height: 300,
      mark: "rect",
      encoding: {
        x: { field: "x", type: "nominal", title: xTitle },
        y: { field: "y", type: "nominal", title: yTitle },
        color: { aggregate: "count", type: "quantitative", title: "count" },
        ...new Set(values.map((v) => v.series)).size > 1 ? { facet: { field: "series", type: "nominal", title: null, columns: 2 } } : {}
      }
    };
  }
  if (definition.template.startsWith("bar")) {
    const horizontal = definition.template === "bar_horizontal";
    const category = { field: "x", type: "nominal", title: xTitle };
    const amount = { field: "y", type: "quantitative", title: yTitle };
    return {
      ...base,
      width: 480,
      height: 300,
      mark: "bar",
      encoding: { ...horizontal ? { y: category, x: amount } : { x: category, y: amount }, color, xOffset: { field: "series" }, tooltip }
    };
  }
  return {
    ...base,
    width: 480,
    height: 300,
    mark: definition.template === "scatter" ? { type: "point", filled: true } : { type: "line", point: values.length <= 200 },
    encoding: { x: { field: "x", type: "quantitative", title: xTitle }, y: { field: "y", type: "quantitative", title: yTitle }, color, tooltip }
  };
}
function plotsPage(title, charts) {
  const escape = (t) => t.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}figure{margin:0 0 2rem}figcaption{font-size:.9rem;color:#555}</style>
</head><body><h1>${escape(title)}</h1>
${charts.map((c) => `<figure>${c.svg ?? `<img src="${escape(c.png)}" alt="${escape(c.name)}" style="max-width:100%">`}<figcaption>${escape(c.name)} \xB7 <a href="${escape(c.png)}">${c.svg ? "PNG" : "image"}</a></figcaption></figure>`).join("\n")}
</body></html>
`;
}
export {
  IMAGE_EXTENSIONS,
  chartSpec,
  parsePlotData,
  plotsPage
};
//# sourceMappingURL=plots-WE4YAGC5.js.map

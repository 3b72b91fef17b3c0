import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import "./chunk-72MSOLL7.js";

// src/report/render.ts
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
var FONT = "DejaVu Sans";
async function renderSvg(spec) {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const config = { font: FONT, background: "white", ...spec.config };
  const compiled = vegaLite.compile({ ...spec, config }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
async function renderPng(svg, scale = 2) {
  const { Resvg } = await import("@resvg/resvg-js");
  const fontDir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { fontFiles: [join(fontDir, "DejaVuSans.ttf"), join(fontDir, "DejaVuSans-Bold.ttf")], loadSystemFonts: false, defaultFontFamily: FONT }
  });
  return resvg.render().asPng();
}
async function render(spec) {
  const svg = await renderSvg(spec);
  return { svg, png: await renderPng(svg) };
}
export {
  render,
  renderPng,
  renderSvg
};
//# sourceMappingURL=render-QEKFCIQZ.js.map

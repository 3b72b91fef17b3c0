import type { PlotDefinition } from '../define/declaration.js';
import type { VegaLiteSpec } from './render.js';
export type Row = Record<string, unknown>;
export declare function parsePlotData(path: string, text: string): Row[];
/** One file's data in one run, with the fields the chart reads from it. */
export interface ChartSeries {
    readonly run: string;
    readonly file: string;
    readonly x?: string;
    readonly y: readonly string[];
    readonly rows: readonly Row[];
}
export declare const IMAGE_EXTENSIONS: string[];
/**
 * One chart: every run's data of every file of a definition, overlaid. The template is DVC's:
 * `scatter` points, `bar`/`bar_horizontal` bars, `confusion` (and `_normalized`) a heatmap of x
 * against y counted, anything else (`simple`, `linear`, `smooth`) lines.
 */
export declare function chartSpec(definition: Omit<PlotDefinition, 'files'>, series: readonly ChartSeries[]): VegaLiteSpec;
/** One page showing every chart (inline SVG), with links to the PNGs. */
export declare function plotsPage(title: string, charts: readonly {
    name: string;
    svg?: string;
    png: string;
}[]): string;

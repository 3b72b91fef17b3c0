export type VegaLiteSpec = Record<string, unknown>;
export declare function renderSvg(spec: VegaLiteSpec): Promise<string>;
export declare function renderPng(svg: string, scale?: number): Promise<Buffer>;
/** Both renderings of a spec. */
export declare function render(spec: VegaLiteSpec): Promise<{
    svg: string;
    png: Buffer;
}>;

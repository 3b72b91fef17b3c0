export declare function parsePythonParams(text: string): Record<string, unknown>;

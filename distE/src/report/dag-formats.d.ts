/** The formats `dag` draws in; apart from the drawing code, so the CLI can list them cheaply. */
export type DagFormat = 'ascii' | 'mermaid' | 'dot' | 'json';
export declare const DAG_FORMATS: readonly DagFormat[];

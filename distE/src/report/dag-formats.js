export const DAG_FORMATS = ['ascii', 'mermaid', 'dot', 'json'];
//# sourceMappingURL=dag-formats.js.map
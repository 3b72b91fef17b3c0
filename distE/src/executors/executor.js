/** The address of a resolved instance: its declared stage, params and, for a sweep's point, its name. */
export function addressOf(pipelineFile, node, collected) {
    return {
        pipelineFile,
        stage: node.of,
        params: node.params,
        ...(node.name !== node.of ? { instance: { name: node.name, values: node.values } } : {}),
        ...(collected && Object.keys(node.collects).length ? { collected } : {}),
    };
}
/** How long a cancelled stage may take to stop on its own before it is killed. */
export const CANCEL_GRACE_MS = 2000;
//# sourceMappingURL=executor.js.map
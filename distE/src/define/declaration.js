const byName = new WeakMap();
/** The declared stage of that name; indexed once per declaration (pipelines of thousands of stages). */
export function declaredStage(pipeline, name) {
    let index = byName.get(pipeline);
    if (!index) {
        index = new Map(pipeline.stages.map((s) => [s.name, s]));
        byName.set(pipeline, index);
    }
    return index.get(name);
}
//# sourceMappingURL=declaration.js.map
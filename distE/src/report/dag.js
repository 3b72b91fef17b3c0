export function drawDag(graph, stages, format, options = {}) {
    const { nodes, edges } = view(graph, stages, options);
    switch (format) {
        case 'ascii':
            return asciiTree(nodes, edges);
        case 'mermaid':
            return ['flowchart TD', ...nodes.map((s) => `  ${mermaidId(s)}["${s.replaceAll('"', '#quot;')}"]`),
                ...edges.map(([a, b]) => `  ${mermaidId(a)} --> ${mermaidId(b)}`)].join('\n') + '\n';
        case 'dot':
            return ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box, style=rounded];',
                ...nodes.map((s) => `  ${JSON.stringify(s)};`), ...edges.map(([a, b]) => `  ${JSON.stringify(a)} -> ${JSON.stringify(b)};`), '}'].join('\n') + '\n';
        case 'json':
            return JSON.stringify({ stages: [...nodes], edges: edges.map(([from, to]) => ({ from, to })) }, null, 2) + '\n';
    }
}
/** The nodes and edges to draw: each selected instance, or its sweep's one node. */
function view(graph, stages, options) {
    const chosen = new Set(stages);
    const label = (name) => {
        const of = graph.nodes.get(name).of;
        const instances = graph.sweeps.get(of);
        if (options.instances || !instances || instances.length < 2)
            return name;
        return `${of} (sweep: ${instances.length} instances)`;
    };
    const nodes = [...new Set(stages.map(label))];
    const edges = new Map();
    for (const name of stages) {
        for (const up of graph.nodes.get(name).upstream) {
            if (!chosen.has(up))
                continue;
            const edge = [label(up), label(name)];
            if (edge[0] !== edge[1])
                edges.set(edge.join('\0'), edge);
        }
    }
    return { nodes, edges: [...edges.values()] };
}
function mermaidId(name) {
    return name.replace(/[^A-Za-z0-9_]/g, '_');
}
/**
 * Each source stage starts a tree of what reads from it. A stage with several upstreams appears
 * under each; below the first it is drawn in full, elsewhere marked "(see above)".
 */
function asciiTree(nodes, edges) {
    const children = new Map(nodes.map((n) => [n, []]));
    const hasUpstream = new Set();
    for (const [from, to] of edges) {
        children.get(from).push(to);
        hasUpstream.add(to);
    }
    const lines = [];
    const drawn = new Set();
    const walk = (name, prefix, branch) => {
        const seen = drawn.has(name);
        const kids = children.get(name);
        lines.push(`${prefix}${branch}${name}${seen && kids.length ? ' (see above)' : ''}`);
        if (seen)
            return;
        drawn.add(name);
        const childPrefix = prefix + (branch === '' ? '' : branch === '└─► ' ? '    ' : '│   ');
        kids.forEach((kid, i) => walk(kid, childPrefix, i === kids.length - 1 ? '└─► ' : '├─► '));
    };
    for (const name of nodes)
        if (!hasUpstream.has(name))
            walk(name, '', '');
    return lines.join('\n') + '\n';
}
//# sourceMappingURL=dag.js.map
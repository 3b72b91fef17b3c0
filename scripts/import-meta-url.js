// Injected into the CommonJS entry bundle (see bundle.mjs): what `import.meta.url` is there.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;

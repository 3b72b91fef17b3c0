/**
 * zod as pipewright's own modules use it: the tree-shakable `zod/mini` with English messages.
 * The full `zod` (900 KB with its locales) would be most of the CLI's start-up; users' stages
 * bring their own `zod` for params, which only needs to quack like a schema here.
 * Import it as a namespace (`import * as z`), so the bundler keeps only what is used.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
config(en());
export * from 'zod/mini';
//# sourceMappingURL=zod.js.map
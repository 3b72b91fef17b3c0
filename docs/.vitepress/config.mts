/**
 * The documentation site (VitePress). `npm run docs` makes the generated pages (docs/commands/ from
 * the CLI's --help, docs/api/ from the types) and then builds this site into docs/.vitepress/dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A generated sidebar list, or a note that the generator has not run (`vitepress dev` alone). */
function generated<T>(file: string, fallback: T): T {
  const path = join(DOCS, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : fallback;
}

const commands = generated<{ text: string; link: string; depth: number }[]>('commands/commands.json', []);
const commandItems: DefaultTheme.SidebarItem[] = commands
  .filter((c) => c.depth === 1)
  .map((c) => {
    const subs = commands.filter((s) => s.depth === 2 && s.text.startsWith(`${c.text} `));
    return subs.length > 0 ? { text: c.text, link: c.link, collapsed: true, items: subs.map((s) => ({ text: s.text, link: s.link })) } : { text: c.text, link: c.link };
  });

const api = generated<DefaultTheme.SidebarItem[]>('api/typedoc-sidebar.json', []);

export default defineConfig({
  title: 'pipewright',
  description: 'Reproducible, parallel ML and data pipelines in TypeScript',
  lang: 'en-US',
  lastUpdated: false,
  cleanUrls: false,
  // Everything under docs/ is a page but the tools' own folder.
  srcExclude: ['**/node_modules/**', '.api-tools/**'],
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'Concepts', link: '/concepts/stages' },
      { text: 'Commands', link: '/cli' },
      { text: 'API', link: '/api/' },
      { text: 'DVC', link: '/dvc' },
    ],
    sidebar: [
      {
        text: 'Start',
        items: [
          { text: 'Overview', link: '/' },
          { text: 'Getting started', link: '/getting-started' },
          { text: 'Install', link: '/install' },
          { text: 'Coming from DVC', link: '/dvc' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'Stages and pipelines', link: '/concepts/stages' },
          { text: 'Caching', link: '/concepts/cache' },
          { text: 'Sweeps and experiments', link: '/concepts/sweeps' },
          { text: 'Streaming flows', link: '/concepts/flows' },
          { text: 'Remotes', link: '/concepts/remotes' },
          { text: 'Workers on Redis', link: '/concepts/workers' },
          { text: 'Kubeflow and Argo', link: '/concepts/compile' },
          { text: 'The dashboard', link: '/concepts/dashboard' },
        ],
      },
      {
        text: 'Commands',
        items: [{ text: 'Overview', link: '/cli' }, { text: 'Reference', link: '/commands/', collapsed: true, items: commandItems }],
      },
      { text: 'API reference', link: '/api/', collapsed: true, items: api },
      {
        text: 'Project',
        items: [
          { text: 'Benchmarks', link: '/benchmarks' },
          { text: 'Mutation testing', link: '/mutation-testing' },
          { text: 'Design and file map', link: '/design' },
        ],
      },
    ],
    outline: { level: [2, 3] },
    search: { provider: 'local' },
  },
});

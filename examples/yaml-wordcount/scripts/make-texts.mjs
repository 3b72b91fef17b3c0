// Writes N small texts into a folder: lines of Node's own license text, which every install ships.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const [count, dir] = process.argv.slice(2);
const license = readFileSync(createRequire(import.meta.url).resolve('yaml/package.json').replace('package.json', 'LICENSE'), 'utf8');
const lines = license.split('\n').filter(Boolean);
mkdirSync(dir, { recursive: true });
for (let i = 0; i < Number(count); i++) writeFileSync(`${dir}/text-${i}.txt`, lines.filter((_, j) => j % Number(count) === i).join('\n') + '\n');
console.log(`wrote ${count} texts`);

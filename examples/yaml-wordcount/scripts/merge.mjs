// Merges word-count files into one table, most frequent first.
import { readFileSync } from 'node:fs';
const total = {};
for (const file of process.argv.slice(2)) {
  for (const [word, n] of Object.entries(JSON.parse(readFileSync(file, 'utf8')))) total[word] = (total[word] ?? 0) + n;
}
const rows = Object.entries(total).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
console.log(['word\tcount', ...rows.map(([w, n]) => `${w}\t${n}`)].join('\n'));

// Counts the words of every text in a folder whose text index is in [from, to].
import { readdirSync, readFileSync } from 'node:fs';
const [dir, minLength, from, to] = process.argv.slice(2);
const counts = {};
for (const name of readdirSync(dir).sort()) {
  const index = Number(/(\d+)/.exec(name)[1]) + 1;
  if (index < Number(from) || index > Number(to)) continue;
  for (const word of readFileSync(`${dir}/${name}`, 'utf8').toLowerCase().split(/[^a-z]+/)) {
    if (word.length >= Number(minLength)) counts[word] = (counts[word] ?? 0) + 1;
  }
}
console.log(JSON.stringify(counts));

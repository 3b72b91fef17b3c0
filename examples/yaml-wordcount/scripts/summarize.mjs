// Metrics of a word table: how many distinct words, and the share of the most frequent one.
import { readFileSync } from 'node:fs';
const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1).map((r) => Number(r.split('\t')[1]));
const total = rows.reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ words: rows.length, total, top_share: Number((rows[0] / total).toFixed(4)) }));

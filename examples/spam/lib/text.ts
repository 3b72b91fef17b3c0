/** Turning an e-mail into the words a model sees. */

/** The body of a raw e-mail: everything after the first blank line, without HTML tags. */
export function emailBody(raw: string): string {
  const blank = raw.search(/\r?\n\r?\n/);
  const body = blank >= 0 ? raw.slice(blank) : raw;
  return body.replace(/<[^>]{0,200}>/g, ' ');
}

/** Lower-cased word tokens, with numbers and links folded into one token each. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' _url_ ')
    .replace(/\d+(?:[.,]\d+)*/g, ' _num_ ')
    .split(/[^a-z_$!]+/)
    .filter((t) => t.length >= 2 && t.length <= 24);
}

/** A seeded PRNG (mulberry32), so that a split or a shuffle is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

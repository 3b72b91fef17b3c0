/**
 * The spam model trained by ../spam's pipeline, served as a flow:
 * parse → featurize (2 clones on worker threads) → predict (micro-batched) → label.
 *
 *   pipewright run -C ../spam                    train it (prepare → featurize → train → evaluate)
 *   pipewright serve spam.flow.ts --port 8080    serve it
 *   curl -d '{"text": "WIN a FREE prize, click now!!!"}' localhost:8080
 *   pipewright stream spam.flow.ts --in emails.jsonl
 */
import { readFileSync } from 'node:fs';
import { cell, flow } from 'pipewright';
import { predict as score, type Model } from '../spam/lib/model.ts';
import { emailBody, tokenize } from '../spam/lib/text.ts';

/** What the pipeline wrote: read by each clone's `init`, so a clone on a thread loads its own copy. */
const trained = (path: string) => {
  try {
    return JSON.parse(readFileSync(new URL(`../spam/${path}`, import.meta.url), 'utf8'));
  } catch {
    throw new Error(`no trained model at examples/spam/${path}: run \`pipewright run -C examples/spam\` first`);
  }
};

interface Email {
  /** The body of an e-mail, or with `raw: true` the whole message, headers and all. */
  readonly text: string;
  readonly raw?: boolean;
}

const parse = cell('parse', {
  run: (email: Email) => {
    if (typeof email?.text !== 'string') throw new Error('send {"text": "..."}: the e-mail body as a string');
    return email.raw ? emailBody(email.text) : email.text;
  },
});

const featurize = cell('featurize', {
  scale: 2,
  executor: 'threads',
  init: () => new Map((trained('features/vocab.json') as string[]).map((word, i) => [word, i])),
  // As the pipeline's featurize stage encodes an e-mail: the vocabulary words it contains.
  run: (text: string, { state: index }) => [...new Set(tokenize(text).slice(0, 2000).map((t) => index.get(t)).filter((i) => i !== undefined))].sort((a, b) => a - b),
});

const predict = cell('predict', {
  batch: { size: 32, maxWaitMs: 5 },
  init: () => trained('model/model.json') as Model,
  run: (batch: readonly number[][], { state: model }) => batch.map((x) => score(model, x)),
});

const label = cell('label', {
  run: (probability: number) => ({ spam: probability >= 0.5, probability: Math.round(probability * 1000) / 1000 }),
});

export default flow('spam', [parse, featurize, predict, label]);

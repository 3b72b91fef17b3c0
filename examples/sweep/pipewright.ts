/**
 * The experiment pipeline of the seeds (anomalib's sweeps, mlpipeline's versions) on the spam
 * example's real model: a random search over the training params, instances trained in parallel
 * on worker threads, every result collected into a table, then which params matter.
 *
 *   pipewright run -j 2                              the sweep (cached per instance)
 *   pipewright analyze --stage train --metric f1     rank the params, draw the plots
 *   pipewright run --version small-vocab             the same search on a 500-word vocabulary
 *
 * `train` is a random search (60 draws); `tune` an adaptive one (refine: each point after the
 * first few perturbs the best so far), over the same model.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { collect, int, loguniform, pipeline, refine, stage, type StageContext } from 'pipewright';
import { z } from 'zod';
import { classificationMetrics } from '../spam/lib/evaluate.ts';
import { predict, train as trainModel, type Example } from '../spam/lib/model.ts';
// The data stages are the spam example's own, reused as they are: their outs land in this folder.
import { featurize, prepare } from '../spam/pipewright.ts';

const params = z.object({
  epochs: z.number().int().positive().default(8),
  lr: z.number().positive().default(0.2),
  l2: z.number().min(0).default(1e-4),
  seed: z.number().int().default(1),
});
const inputs = { train: featurize.outs.train, test: featurize.outs.test, vocab: featurize.outs.vocab };

/** Train on the training e-mails, score on the held-out ones: the metrics are what the sweep compares. */
async function fit({ params: p, inputs: files, outs }: StageContext<z.infer<typeof params>, Record<keyof typeof inputs, string>, 'model'>) {
  const examples = JSON.parse(await readFile(files.train, 'utf8')) as Example[];
  const vocab = JSON.parse(await readFile(files.vocab, 'utf8')) as string[];
  const model = trainModel(examples, { features: vocab.length, epochs: p.epochs, learningRate: p.lr, l2: p.l2, seed: p.seed });
  await writeFile(outs.model, JSON.stringify(model));
  const test = JSON.parse(await readFile(files.test, 'utf8')) as Example[];
  const { accuracy, f1 } = classificationMetrics(test.map((e) => ({ score: predict(model, e.x), y: e.y })), 0.5);
  return { accuracy, f1 };
}

export const train = stage('train', {
  desc: 'Logistic regression by SGD, scored on the held-out e-mails: a random search',
  params,
  sweep: {
    space: { lr: loguniform(0.0005, 5), l2: loguniform(1e-6, 0.5), epochs: int(1, 10) },
    samples: 60,
    seed: 7,
  },
  inputs,
  outs: { model: 'models/lr=${params.lr},l2=${params.l2},epochs=${params.epochs}.json' },
  run: fit,
});

export const tune = stage('tune', {
  desc: 'The same model, searched adaptively: each point after the first four refines the best so far',
  params,
  sweep: {
    space: { lr: loguniform(0.0005, 5), l2: loguniform(1e-6, 0.5), epochs: 5 },
    generate: refine({ metric: 'f1', goal: 'max', budget: 16, initial: 4, seed: 3 }),
  },
  inputs,
  outs: { model: 'tuned/lr=${params.lr},l2=${params.l2}.json' },
  run: fit,
});

export const results = collect('results', { from: train, csv: 'results/sweep.csv', json: 'results/sweep.json' });

export default pipeline('spam-sweep', [prepare, featurize, train, tune, results], {
  versions: {
    // Named overrides: `pipewright run --version small-vocab`.
    'small-vocab': { 'featurize.vocabSize': 500 },
  },
  // `pipewright run --dev`: a tenth of the e-mails, to try a change in seconds.
  dev: { 'prepare.limit': 600 },
});

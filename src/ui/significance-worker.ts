/**
 * Fits `analyze`'s random forest for the UI on a thread of its own: a sweep of a thousand
 * instances takes seconds, and on the server's thread every other request (the runs table, a live
 * run's events) would wait for it. One thread per analysis, ended when it answers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSignificance, type Sample, type Significance } from '../report/significance.js';

export interface SignificanceJob {
  readonly metric: string;
  readonly samples: readonly Sample[];
}

export type SignificanceAnswer = { readonly ok: true; readonly result: Significance } | { readonly ok: false; readonly message: string };

if (parentPort) {
  const job = workerData as SignificanceJob;
  let answer: SignificanceAnswer;
  try {
    answer = { ok: true, result: analyzeSignificance(job.metric, job.samples) };
  } catch (err) {
    answer = { ok: false, message: (err as Error).message };
  }
  parentPort.postMessage(answer);
}

/** Logistic regression on sparse binary features, trained by SGD with L2 regularisation. */
import { seededRandom, shuffle } from './text.ts';

/** One example: the indices of the vocabulary words it contains, and its label (1 = spam). */
export interface Example {
  readonly x: readonly number[];
  readonly y: 0 | 1;
}

export interface Model {
  readonly weights: number[];
  readonly bias: number;
}

export interface TrainOptions {
  readonly features: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

export function predict(model: Model, x: readonly number[]): number {
  let z = model.bias;
  for (const i of x) z += model.weights[i]!;
  return 1 / (1 + Math.exp(-z));
}

export function train(examples: Example[], options: TrainOptions): Model {
  const weights = new Array<number>(options.features).fill(0);
  let bias = 0;
  const random = seededRandom(options.seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    shuffle(order, random);
    const rate = options.learningRate / Math.sqrt(epoch);
    let loss = 0;
    for (const index of order) {
      const { x, y } = examples[index]!;
      const p = predict({ weights, bias }, x);
      loss -= y ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12);
      const gradient = p - y;
      bias -= rate * gradient;
      for (const i of x) weights[i] = weights[i]! - rate * (gradient + options.l2 * weights[i]!);
    }
    options.onEpoch?.(epoch, loss / examples.length);
  }
  return { weights, bias };
}

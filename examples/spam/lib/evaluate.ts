/** Classification metrics and the precision-recall curve. */

export interface Scored {
  readonly score: number;
  readonly y: 0 | 1;
}

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly examples: number;
}

export function classificationMetrics(scored: readonly Scored[], threshold: number): ClassificationMetrics {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (const { score, y } of scored) {
    const predicted = score >= threshold ? 1 : 0;
    if (predicted && y) tp++;
    else if (predicted) fp++;
    else if (y) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    accuracy: round((tp + tn) / scored.length),
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
    examples: scored.length,
  };
}

/** Precision and recall at each distinct threshold, from the highest score down. */
export function precisionRecallCurve(scored: readonly Scored[]): { threshold: number; precision: number; recall: number }[] {
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  const positives = sorted.filter((s) => s.y).length;
  const points: { threshold: number; precision: number; recall: number }[] = [];
  let tp = 0;
  sorted.forEach((s, i) => {
    if (s.y) tp++;
    const next = sorted[i + 1];
    if (next && next.score === s.score) return;
    points.push({ threshold: round(s.score), precision: round(tp / (i + 1)), recall: round(positives ? tp / positives : 0) });
  });
  return points;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

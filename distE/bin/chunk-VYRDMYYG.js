import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);

// src/errors.ts
var PipelineError = class extends Error {
  constructor(code, message, where, hint) {
    super(message);
    this.code = code;
    this.where = where;
    this.hint = hint;
  }
  code;
  where;
  hint;
  name = "PipelineError";
};
function isPipelineError(err) {
  return err instanceof Error && err.name === "PipelineError" && "code" in err;
}
var StageFailure = class extends Error {
  constructor(message, exitCode, signal) {
    super(message);
    this.exitCode = exitCode;
    this.signal = signal;
  }
  exitCode;
  signal;
  name = "StageFailure";
};
var CancelledError = class extends Error {
  name = "CancelledError";
  constructor(reason) {
    super("cancelled", { cause: reason });
  }
};
function closestName(name, known) {
  let best;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== void 0 && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : void 0;
}
function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

export {
  PipelineError,
  isPipelineError,
  StageFailure,
  CancelledError,
  closestName
};
//# sourceMappingURL=chunk-VYRDMYYG.js.map

import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  captureConsole,
  runRequested
} from "./chunk-CZQHVX5G.js";
import "./chunk-234SUH7X.js";
import "./chunk-XYXI5FZ7.js";
import "./chunk-VYRBVQGQ.js";
import "./chunk-R2X5HZB5.js";
import "./chunk-DD6A6ORU.js";
import "./chunk-VRTVQOPA.js";
import "./chunk-VYRDMYYG.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";

// src/executors/thread-worker.ts
async function runTask({ address, port }) {
  const controller = new AbortController();
  port.on("message", (message) => {
    if (message.type === "abort") controller.abort(new Error("cancelled"));
  });
  const restore = captureConsole((stream, text) => port.postMessage({ type: "output", stream, text }));
  try {
    await runRequested(address, (message) => port.postMessage(message), controller.signal);
  } finally {
    restore();
    port.close();
  }
}
export {
  runTask as default
};
//# sourceMappingURL=thread-worker.js.map

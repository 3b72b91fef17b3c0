import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
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

// src/executors/child-entry.ts
var controller = new AbortController();
process.on("message", (message) => {
  if (message.type === "abort") controller.abort(new Error("cancelled"));
  else if (message.type === "run") {
    void runRequested(message.address, (reply) => {
      if (reply.type === "output") (reply.stream === "stdout" ? process.stdout : process.stderr).write(reply.text);
      else process.send(reply, () => process.exit(0));
    }, controller.signal);
  }
});
//# sourceMappingURL=child-entry.js.map

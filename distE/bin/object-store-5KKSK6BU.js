import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  ObjectStore
} from "./chunk-DI4O4WN5.js";
import "./chunk-NIE2MTBU.js";
import "./chunk-DJMCM54O.js";
import "./chunk-PI66XGHR.js";
import "./chunk-72MSOLL7.js";
export {
  ObjectStore
};
//# sourceMappingURL=object-store-5KKSK6BU.js.map

/** What the thread and process clones share: their address check and how their messages are read. */
import { PipelineError } from '../errors.js';
import type { CloneListener, CloneSpec } from './clone.js';
import type { CellAddress, FromClone } from './clone-messages.js';

export function requireAddress(spec: CloneSpec): CellAddress {
  if (spec.address) return spec.address;
  throw new PipelineError('pipeline-load', `cell "${spec.definition.name}" runs on another thread or process, which must load its flow from a file, but the flow's file is unknown`, undefined,
    'define the flow in its own module and `export` it (`export default flow(...)`), or give `file: import.meta.url` in its options');
}

export function handleFromClone(message: FromClone, listener: CloneListener): FromClone['type'] {
  if (message.type === 'results') {
    const busy = message.busyMs / message.results.length;
    for (const r of message.results) listener.result(r.ok, r.ok ? r.value : r.message, busy);
  }
  else if (message.type === 'init-failed') listener.died(`init threw: ${message.message}`, true);
  else process.stderr.write(message.text);
  return message.type;
}

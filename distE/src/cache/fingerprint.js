import { hashValue } from './hash.js';
export function fingerprintOf(parts) {
    return hashValue(parts);
}
//# sourceMappingURL=fingerprint.js.map
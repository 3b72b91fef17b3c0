/**
 * `pipewright.lock`: what was observed when each stage instance last ran — its fingerprint and
 * the parts it was made from, and the hashes of its outs. YAML with sorted keys, meant to be
 * committed; written aside and renamed after every finished instance.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import jsYaml from 'js-yaml';
import { LOCKFILE, layout } from '../layout.js';
function stampOf(file) {
    try {
        const s = statSync(file, { bigint: true });
        return `${s.size}:${s.mtimeNs}:${s.ino}`;
    }
    catch {
        return undefined;
    }
}
export function readLockfile(root, warn) {
    return { ...readLockfileItself(root, warn), ...readJournal(root) };
}
function readLockfileItself(root, warn) {
    const file = join(root, LOCKFILE);
    const stamp = stampOf(file);
    if (stamp === undefined)
        return {};
    try {
        const snapshot = JSON.parse(readFileSync(layout(root).lockSnapshot, 'utf8'));
        if (snapshot.stamp === stamp)
            return snapshot.stages;
    }
    catch {
        // no snapshot, or a stale one: read the lockfile itself
    }
    let text;
    try {
        text = readFileSync(file, 'utf8');
    }
    catch {
        return {};
    }
    try {
        const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
        if (!data || data.version !== 1 || typeof data.stages !== 'object' || data.stages === null)
            throw new Error('not a version 1 lockfile');
        return { ...data.stages };
    }
    catch (err) {
        // A corrupt lockfile is a miss for every stage, never a reason to trust anything.
        warn(`${LOCKFILE} is unreadable (${err.message.split('\n')[0]}); every stage is treated as never run`);
        return {};
    }
}
/**
 * Entries a run recorded after the lockfile was last rewritten (a run that was killed). A line
 * cut short by the kill does not parse and is ignored: that instance simply runs again.
 */
function readJournal(root) {
    let text;
    try {
        text = readFileSync(layout(root).lockJournal, 'utf8');
    }
    catch {
        return {};
    }
    const entries = {};
    for (const line of text.split('\n')) {
        if (!line)
            continue;
        try {
            const { stage, entry } = JSON.parse(line);
            entries[stage] = entry;
        }
        catch {
            // the torn last line of a killed run
        }
    }
    return entries;
}
/**
 * Keeps the lockfile's entries. Every finished instance is appended to a journal at once (one
 * small write, so a kill loses nothing finished); `pipewright.lock` itself is rewritten,
 * atomically, at most every `REWRITE_INTERVAL_MS` and when the run ends. Rewriting a 1,000-stage
 * lockfile after each of 1,000 stages would cost more than the stages.
 */
export class LockfileWriter {
    root;
    entries;
    texts = new Map();
    journal;
    pending = false;
    lastWrite = 0;
    timer;
    constructor(root, entries) {
        this.root = root;
        this.entries = entries;
    }
    get(stage) {
        return this.entries[stage];
    }
    set(stage, entry) {
        this.entries[stage] = entry;
        this.texts.delete(stage);
        if (this.journal === undefined) {
            mkdirSync(dirname(layout(this.root).lockJournal), { recursive: true });
            this.journal = openSync(layout(this.root).lockJournal, 'a');
        }
        writeSync(this.journal, JSON.stringify({ stage, entry }) + '\n');
        this.pending = true;
        const wait = this.lastWrite + REWRITE_INTERVAL_MS - Date.now();
        if (wait <= 0)
            this.flush();
        else
            this.timer ??= setTimeout(() => this.flush(), wait).unref();
    }
    all() {
        return this.entries;
    }
    /** Rewrites pipewright.lock and its JSON snapshot now, then empties the journal. */
    flush() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
        if (!this.pending)
            return;
        this.pending = false;
        this.lastWrite = Date.now();
        const file = join(this.root, LOCKFILE);
        const names = Object.keys(this.entries).sort();
        const body = names.map((name) => {
            let text = this.texts.get(name);
            if (text === undefined) {
                text = jsYaml.dump({ [name]: this.entries[name] }, { sortKeys: true, lineWidth: -1, noRefs: true }).replace(/^(?=.)/gm, '  ');
                this.texts.set(name, text);
            }
            return text;
        });
        writeAside(file, `version: 1\nstages:${names.length ? '\n' + body.join('') : ' {}\n'}`);
        const paths = layout(this.root);
        writeAside(paths.lockSnapshot, JSON.stringify({ stamp: stampOf(file), stages: this.entries }));
        // Only now is everything in the journal also in the lockfile.
        if (this.journal !== undefined)
            ftruncateSync(this.journal, 0);
    }
    close() {
        this.flush();
        if (this.journal !== undefined)
            closeSync(this.journal);
        this.journal = undefined;
    }
}
const REWRITE_INTERVAL_MS = 500;
function writeAside(file, text) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
}
//# sourceMappingURL=lockfile.js.map
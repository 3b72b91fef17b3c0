/**
 * Which V8 flags the CLI's entry may set on this Node. V8 offers no in-process way to ask whether
 * a flag exists (v8.setFlagsFromString reports an unknown one on stderr, nothing to catch), and
 * listing `node --v8-options` costs a process per start, so V8's version says.
 */

/**
 * Whether a V8 of this version (process.versions.v8) has `--interrupt-budget`: 11.3 (Node 20) has
 * it; 11.8 (Node 21), 12.4 (22), 12.9 (23) and 13.6 (24) do not (each one's --v8-options checked;
 * tier-up there counts invocations instead). test/cli/v8-flags.test.ts checks the rule against the
 * Node that runs it.
 */
export function hasInterruptBudgetFlag(v8Version: string): boolean {
  const [major = 0, minor = 0] = v8Version.split('.').map((part) => Number.parseInt(part, 10));
  return major < 11 || (major === 11 && minor <= 3);
}

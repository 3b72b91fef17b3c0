/**
 * Names that Kubernetes, Kubeflow and Argo accept, made from stage and param names that may hold
 * anything a pipeline file allows (`train@lr=0.1,depth=4`, `Featurize_Text`, 200-character sweep
 * points). Each made name is unique within its set, also after shortening, and stable: the same
 * pipeline compiles to the same names.
 */
import { createHash } from 'node:crypto';

/** A DNS-1123 label: lower case letters, digits and `-`, starting and ending alphanumeric, at most 63. */
export type DnsLabel = string & { readonly __brand: 'DnsLabel' };

/** A pipeline parameter name: letters, digits and `_`, not starting with a digit (Python's and Argo's rules both hold). */
export type ParamName = string & { readonly __brand: 'ParamName' };

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_DNS_LABEL = 63;
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** `train@lr=0.1` → `train-lr-0-1`; empty → `task`. Not yet unique nor shortened. */
function dnsForm(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base || 'task';
}

/**
 * Hands out unique names of one kind. A name that had to change (shortened, or taken by another
 * name already) gets a hash of the original, so two long sweep points that share their first 60
 * characters still get different names, and the same original always gets the same name.
 */
class UniqueNames<T extends string> {
  private readonly taken = new Map<string, string>();
  private readonly given = new Map<string, T>();

  constructor(private readonly form: (name: string) => string, private readonly max: number, private readonly join: string) {}

  /** Reserves a name as is (`main`, `pvc_name`): a later original that maps to it gets another. */
  reserve(name: string): T {
    this.taken.set(name, `\0${name}`);
    return name as T;
  }

  of(original: string): T {
    const known = this.given.get(original);
    if (known) return known;
    const plain = this.form(original);
    let name = plain.length <= this.max && !this.taken.has(plain) ? plain : '';
    for (let attempt = 0; !name; attempt++) {
      const suffix = this.join + shortHash(attempt ? `${original}\0${attempt}` : original);
      const candidate = plain.slice(0, this.max - suffix.length).replace(/[-_]+$/, '') + suffix;
      if (!this.taken.has(candidate)) name = candidate;
    }
    this.taken.set(name, original);
    this.given.set(original, name as T);
    return name as T;
  }
}

/** Task, template and workflow names: DNS-1123 labels. */
export class DnsNames extends UniqueNames<DnsLabel> {
  constructor() {
    super(dnsForm, MAX_DNS_LABEL, '-');
  }
}

/**
 * Parameter names: `train.lr` of stage `train` → `train_lr`. Kept under 63 characters too: Argo
 * turns parameter names into pod annotations and KFP shows them as form fields.
 */
export class ParamNames extends UniqueNames<ParamName> {
  constructor() {
    super((name) => {
      const base = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'param';
      return /^[0-9]/.test(base) ? `p_${base}` : base;
    }, MAX_DNS_LABEL, '_');
  }
}

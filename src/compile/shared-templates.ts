/**
 * Tasks that differ only by the instance they run share one template (Argo) or one component and
 * executor (Kubeflow), which takes the instance as an input: a dvc.yaml stage expanded into
 * hundreds of instances is written once, not once per instance. A loop's template always takes
 * its instance as an input (its item); a task whose template no other task shares keeps the
 * instance written in, as before.
 */

export type SharedTemplate<T, B> =
  | { readonly shared: true; readonly owner: T; readonly body: B }
  | { readonly shared: false };

interface Shareable {
  readonly loop: boolean;
}

/** Groups tasks by their template written with the instance as a placeholder; the first task of a group owns it. */
export function sharedTemplates<T extends Shareable, B>(tasks: readonly T[], body: (task: T) => B): { of(task: T): SharedTemplate<T, B> } {
  const byText = new Map<string, { owner: T; body: B; users: number }>();
  const keyOf = new Map<T, string>();
  for (const task of tasks) {
    const made = body(task);
    const text = JSON.stringify(made);
    keyOf.set(task, text);
    const found = byText.get(text);
    if (found) found.users++;
    else byText.set(text, { owner: task, body: made, users: 1 });
  }
  return {
    of(task) {
      const found = byText.get(keyOf.get(task)!)!;
      return task.loop || found.users > 1 ? { shared: true, owner: found.owner, body: found.body } : { shared: false };
    },
  };
}

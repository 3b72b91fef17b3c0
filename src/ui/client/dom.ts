/// <reference lib="dom" />
/** Small DOM helpers for the UI's page: elements from data (text only, never markup) and formatting. */

type Attributes = Record<string, string>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'value') (node as HTMLInputElement).value = value;
    else if (value !== '') node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status}: ${(await response.text()).trim()}`);
  return (await response.json()) as T;
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Replaces the page's content (everything below the header). */
export function show(...nodes: Node[]): void {
  document.getElementById('app')!.replaceChildren(...nodes);
}

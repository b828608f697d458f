// Building the page from data without innerHTML: every text goes through textContent, so nothing a
// transcript or a memory entry contains can run as markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

function h(tag: string, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (key === 'class') el.className = String(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

function mainEl(): HTMLElement {
  return document.getElementById('main')!;
}

/** Replace the main area with these children. */
function show(...children: Array<Child | Child[]>): void {
  const main = mainEl();
  clear(main);
  append(main, children);
}

function setCrumbs(...links: Array<[string, string]>): void {
  const nav = document.getElementById('crumbs')!;
  clear(nav);
  for (const [label, href] of links) nav.appendChild(h('a', { href }, label));
}

const pct = (k: number, n: number): string => (n === 0 ? '–' : `${((100 * k) / n).toFixed(1)}%`);
const usd = (x: number): string => `$${x < 0.01 && x > 0 ? x.toFixed(5) : x.toFixed(x < 1 ? 4 : 2)}`;
const num = (x: number): string => x.toLocaleString('en-US');
const pad3 = (n: number): string => String(n).padStart(3, '0');

function errorBox(error: unknown): HTMLElement {
  return h('div', { class: 'error-box' }, error instanceof Error ? error.message : String(error));
}

function pre(text: string, cls = ''): HTMLElement {
  return h('pre', { class: cls }, text);
}

function select(
  id: string,
  values: Array<string | number>,
  current: string | undefined,
  allLabel: string | undefined,
  onChange: (value: string) => void,
): HTMLSelectElement {
  const el = h('select', { id, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) }) as HTMLSelectElement;
  if (allLabel !== undefined) el.appendChild(h('option', { value: '' }, allLabel));
  for (const v of values) el.appendChild(h('option', { value: String(v), selected: String(v) === current }, String(v)));
  return el;
}

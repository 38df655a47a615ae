/** Small DOM helpers shared by the views: elements, and labelled quick-control fields. */

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A labelled control that lives as long as its view: `show` sets its value from the config
 * without rebuilding it, so focus stays where the user is.
 */
export interface Field<T> {
  root: HTMLElement;
  show(value: T): void;
}

function labelled(label: string, input: HTMLElement): HTMLElement {
  const row = element('div', { class: 'field' });
  row.append(element('label', { for: input.id }, label), input);
  return row;
}

/** The value of the extra option that stands for what the YAML holds beyond the choices. */
const FROM_YAML = '\u0000yaml';

/**
 * A labelled select of `options` ([value, label]). `show(value, extra)`: a value not among the
 * options, or one with `extra` (e.g. "with 3 fields from the YAML"), is shown as an extra option
 * that keeps the YAML as it is when picked.
 */
export function selectField(id: string, label: string, options: [string, string][], apply: (value: string) => void): Field<{ value: string; extra?: string }> {
  const box = element('select', { id });
  for (const [value, text] of options) box.append(element('option', { value }, text));
  const yaml = element('option', { value: FROM_YAML });
  box.addEventListener('change', () => {
    if (box.value !== FROM_YAML) apply(box.value);
  });
  return {
    root: labelled(label, box),
    show: ({ value, extra }) => {
      if (!extra && options.some(([v]) => v === value)) {
        yaml.remove();
        box.value = value;
        return;
      }
      yaml.textContent = `${value}${extra ? ` ${extra}` : ''} (from the YAML)`;
      box.append(yaml);
      box.value = FROM_YAML;
    },
  };
}

/**
 * A labelled number input; `apply` gets finite values ≥ `min` (`above`: > min), rounded for an
 * integer field. Anything else puts the shown value back.
 */
export function numberField(id: string, label: string, min: number, apply: (value: number) => void, { integer = true, above = false } = {}): Field<number> {
  const box = element('input', { id, type: 'number', min: String(min), step: integer ? '1' : 'any' });
  let shown = 0;
  box.addEventListener('change', () => {
    const value = integer ? Math.round(Number(box.value)) : Number(box.value);
    const allowed = box.value.trim() !== '' && Number.isFinite(value) && (above ? value > min : value >= min);
    if (allowed) apply(value);
    else box.value = String(shown);
  });
  return {
    root: labelled(label, box),
    show: (value) => {
      shown = value;
      if (Number(box.value) !== value || box.value.trim() === '') box.value = String(value);
    },
  };
}

/** A table with a header row of `columns` over `body` (the rows the view adds). */
export function table(id: string, columns: string[], body: HTMLTableSectionElement): HTMLTableElement {
  const head = element('thead');
  const row = element('tr');
  row.append(...columns.map((column) => element('th', { scope: 'col' }, column)));
  head.append(row);
  const node = element('table', { id });
  node.append(head, body);
  return node;
}

/**
 * A form generated from JSON Schema properties (the library's zod schemas through
 * `deviceFieldsJsonSchema`): the same field names, defaults, bounds and docs as the CLI.
 * Numbers are number inputs with the schema's bounds, booleans checkboxes, enums selects.
 */
import { element } from './dom.js';

export interface FieldSchema {
  type?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
}


function bounds(field: FieldSchema): string {
  const low = field.minimum !== undefined ? `≥ ${field.minimum}` : field.exclusiveMinimum !== undefined ? `> ${field.exclusiveMinimum}` : '';
  const high = field.maximum !== undefined ? `≤ ${field.maximum}` : field.exclusiveMaximum !== undefined ? `< ${field.exclusiveMaximum}` : '';
  return [low, high].filter(Boolean).join(', ');
}

/**
 * Renders `fields` into `container` with the current `values`; `onChange` gets the field's name
 * and its new value (a number, a boolean, or a string of an enum) whenever one changes.
 */
export function renderSchemaForm(
  container: HTMLElement,
  prefix: string,
  fields: Record<string, FieldSchema>,
  values: Record<string, unknown>,
  onChange: (name: string, value: unknown) => void,
): void {
  container.replaceChildren();
  for (const [name, field] of Object.entries(fields)) {
    const id = `${prefix}-${name}`;
    const row = element('div', { class: 'field' });
    const label = element('label', { for: id }, name);
    const help = element('small', { id: `${id}-help` }, [field.description ?? '', bounds(field)].filter(Boolean).join(' · '));
    let input: HTMLInputElement | HTMLSelectElement;
    if (field.enum) {
      input = element('select', { id, 'aria-describedby': `${id}-help` });
      for (const option of field.enum) input.append(element('option', { value: String(option) }, String(option)));
      input.value = String(values[name] ?? field.default ?? '');
      input.addEventListener('change', () => onChange(name, input.value));
    } else if (field.type === 'boolean') {
      const box = element('input', { id, type: 'checkbox', 'aria-describedby': `${id}-help` });
      box.checked = Boolean(values[name] ?? field.default);
      box.addEventListener('change', () => onChange(name, box.checked));
      input = box;
      row.classList.add('checkbox');
    } else {
      const attributes: Record<string, string> = { id, type: 'number', step: 'any', 'aria-describedby': `${id}-help` };
      const min = field.minimum ?? field.exclusiveMinimum;
      const max = field.maximum ?? field.exclusiveMaximum;
      if (min !== undefined) attributes['min'] = String(min);
      if (max !== undefined) attributes['max'] = String(max);
      const box = element('input', attributes);
      box.value = String(values[name] ?? field.default ?? '');
      box.addEventListener('change', () => {
        const value = Number(box.value);
        if (box.value.trim() !== '' && Number.isFinite(value)) onChange(name, value);
      });
      input = box;
    }
    row.append(label, input, help);
    container.append(row);
  }
}


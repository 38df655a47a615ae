/** A config as the YAML editor holds it, and how the quick controls read it. */
import { algorithmPresets } from '../../src/index.js';

export type Config = Record<string, unknown>;

export const numberOf = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

/**
 * The preset (or kind) a device or algorithm field names, and how many fields the YAML sets
 * beyond it (a select shows those as "from the YAML" and keeps them).
 */
export function choiceOf(value: unknown): { value: string; extra?: string } {
  if (typeof value === 'string') return { value };
  const fields = (value ?? {}) as Config;
  const name = String(fields['preset'] ?? fields['kind'] ?? 'custom');
  const more = Object.keys(fields).filter((key) => key !== 'preset' && key !== 'kind').length;
  return more > 0 ? { value: name, extra: `with ${more} field${more === 1 ? '' : 's'}` } : { value: name };
}

export const algorithmChoices = (): [string, string][] => Object.entries(algorithmPresets).map(([name, preset]) => [name, `${name} (${preset.kind})`]);

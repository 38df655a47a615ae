/**
 * The fields of `config` that differ from `defaults`, as dotted paths (aihwkit prints only
 * non-default fields; style.md "Print and report configs as the difference from defaults").
 */
export function configDifference(config: unknown, defaults: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(config) && isObject(defaults)) {
    for (const key of Object.keys(config)) {
      Object.assign(out, configDifference(config[key], defaults[key], prefix ? `${prefix}.${key}` : key));
    }
    return out;
  }
  if (JSON.stringify(config) !== JSON.stringify(defaults)) out[prefix] = config;
  return out;
}

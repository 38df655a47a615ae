import { UserError } from '../core/errors.js';
import { zodIssueToUserError } from '../config/zod-error.js';
import { deviceFieldNames, deviceKinds, deviceModels, isDeviceKind, type DeviceConfig } from './registry.js';
import { devicePresets, findDevicePreset } from './presets.js';

/** Names accepted where a device is expected: every preset and every kind. */
export function deviceNames(): string[] {
  return [...devicePresets.map((preset) => preset.name), ...deviceKinds];
}

/**
 * Resolves a device from a preset name or a kind plus overrides, filling every default and
 * validating every field. Bad input throws a `UserError` naming the field (e.g. `device.dwMin`).
 */
export function resolveDevice(nameOrKind: string, overrides: Record<string, unknown> = {}, root = 'device'): DeviceConfig {
  const preset = findDevicePreset(nameOrKind);
  const kind = preset ? preset.kind : nameOrKind;
  if (!isDeviceKind(kind)) {
    throw new UserError(root, nameOrKind, `unknown device; allowed presets and kinds: ${deviceNames().join(', ')}`);
  }
  if ('kind' in overrides && overrides['kind'] !== kind) {
    throw new UserError(`${root}.kind`, overrides['kind'], `cannot change the kind of ${nameOrKind} (${kind})`);
  }
  return parseDeviceConfig({ ...(preset?.values ?? {}), ...overrides, kind }, root);
}

/** A config's device field: a preset or kind name, or `{ preset, ...fields }`. */
export function resolveDeviceChoice(value: string | { preset: string; [field: string]: unknown }, root = 'device'): DeviceConfig {
  if (typeof value === 'string') return resolveDevice(value, {}, root);
  const { preset, ...overrides } = value;
  return resolveDevice(preset, overrides, root);
}

/** Validates a device config object (with `kind`), filling defaults. */
export function parseDeviceConfig(input: unknown, root = 'device'): DeviceConfig {
  const kind = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)['kind'] : undefined;
  if (!isDeviceKind(kind)) {
    throw new UserError(`${root}.kind`, kind, `must be one of: ${deviceKinds.join(', ')}`);
  }
  const result = deviceModels[kind].schema.safeParse(input);
  if (!result.success) {
    throw zodIssueToUserError(result.error, input, root, (path) => (path.length === 0 ? deviceFieldNames(kind) : undefined));
  }
  return result.data as DeviceConfig;
}

import { applyPulses, buildDevice, resolveDevice, type DeviceConfig, type DeviceResponse } from '../src/devices/index.js';
import { Rng } from '../src/rng/index.js';
import { summarize } from '../src/core/stats.js';

export { summarize };

/** Builds `size` devices of a preset or kind with overrides, from a fixed seed. */
export function makeDevices(nameOrKind: string, overrides: Record<string, unknown>, size: number, seed = 7): { config: DeviceConfig; device: DeviceResponse } {
  const config = resolveDevice(nameOrKind, overrides);
  return { config, device: buildDevice(config, size, Rng.stream(seed, 'test-devices')) };
}

/** `n` single pulses of one direction on device k, each from the same start g: the step sizes. */
export function repeatedSteps(device: DeviceResponse, k: number, g: number, up: boolean, n: number, rng: Rng): Float64Array {
  const steps = new Float64Array(n);
  for (let t = 0; t < n; t++) steps[t] = applyPulses(device, k, g, up, 1, rng) - g;
  return steps;
}

/** Runs the CLI in-process and captures its output lines. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/cli/main.js');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

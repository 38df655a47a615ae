/**
 * The playground's state in the URL (issue 19 §4): `#<view>?s=<lz-string of the JSON state>`.
 * Opening the link restores the device and the run set-up; nothing is sent to a server.
 */
import LZString from 'lz-string';

const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } = LZString;

export type View = 'device' | 'train' | 'least-squares';

export interface DeviceState {
  name: string;
  overrides: Record<string, unknown>;
  options: { devices: number; pulses: number; pairs: number; seed: number };
}

export interface SharedState {
  view: View;
  device: DeviceState;
  /** The run's config as written (the YAML editor's object). */
  train: Record<string, unknown>;
  /** The least-squares run's config as written. */
  leastSquares: Record<string, unknown>;
}

export function encodeState(state: SharedState): string {
  const { view, ...rest } = state;
  return `#${view}?s=${compressToEncodedURIComponent(JSON.stringify(rest))}`;
}

/** The state of a URL hash, over `defaults`; a hash that cannot be read gives the defaults and the reason. */
export function decodeState(hash: string, defaults: SharedState): { state: SharedState; problem: string | null } {
  const match = /^#(device|train|least-squares)(?:\?s=(.*))?$/.exec(hash);
  if (!match) return { state: defaults, problem: hash && hash !== '#' ? `the link’s state (${hash.slice(0, 40)}…) is not a playground state; showing the defaults` : null };
  const view = match[1] as View;
  if (!match[2]) return { state: { ...defaults, view }, problem: null };
  try {
    const json = decompressFromEncodedURIComponent(match[2]);
    const parsed = JSON.parse(json ?? '') as Partial<SharedState>;
    return {
      state: { view, device: { ...defaults.device, ...parsed.device }, train: parsed.train ?? defaults.train, leastSquares: parsed.leastSquares ?? defaults.leastSquares },
      problem: null,
    };
  } catch {
    return { state: { ...defaults, view }, problem: 'the link’s state is damaged (not compressed JSON); showing the defaults' };
  }
}

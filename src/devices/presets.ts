import type { DeviceKind } from './registry.js';

/**
 * The device presets of aihwkit-model.md §6.1, as data: the non-default values fitted to a
 * measured device, and the paper they were fitted to (style.md: presets are data + citation).
 */
export interface DevicePreset {
  readonly name: string;
  readonly kind: DeviceKind;
  readonly citation: string;
  readonly note?: string;
  readonly values: Readonly<Record<string, number | boolean>>;
}

export const devicePresets: readonly DevicePreset[] = [
  {
    name: 'reram-es',
    kind: 'exp-step',
    citation: 'Gong et al., Nat. Commun. 9, 2102 (2018); aihwkit ReRamESPresetDevice',
    values: {
      dwMin: 0.00135, upDown: 0.259359, wMax: 1, wMin: -1,
      a: -0.5, b: -0.5, gammaUp: 5, gammaDown: 5, aUp: -1.18445, aDown: -0.081404,
      dwMinDtod: 0.2, upDownDtod: 0.05, wMaxDtod: 0.3, wMinDtod: 0.3,
      dwMinStd: 5.0, writeNoiseStd: 75,
    },
  },
  {
    name: 'reram-sb',
    kind: 'soft-bounds-reference',
    citation: 'Gong et al., Nat. Commun. 9, 2102 (2018); aihwkit ReRamSBPresetDevice',
    values: {
      dwMin: 0.002, upDown: 0, wMax: 1.25, wMin: -0.75, multNoise: false,
      dwMinDtod: 0.3, upDownDtod: 0.01, wMaxDtod: 0.3 / 1.25, wMinDtod: 0.3 / 0.75,
      dwMinStd: 3.75, writeNoiseStd: 56,
    },
  },
  {
    name: 'capacitor',
    kind: 'linear-step',
    citation: 'Li et al., VLSI Technology 2018; aihwkit CapacitorPresetDevice',
    values: {
      dwMin: 0.005, upDown: 0, wMax: 1, wMin: -1, gammaUp: 0.05, gammaDown: 0.05,
      multNoise: false, meanBoundReference: true, lifetime: 1e6, lifetimeDtod: 0.3,
      dwMinDtod: 0.1, upDownDtod: 0.06, wMaxDtod: 0.07, wMinDtod: 0.07,
      gammaUpDtod: 0.01, gammaDownDtod: 0.01, dwMinStd: 0.3,
    },
  },
  {
    name: 'ecram',
    kind: 'linear-step',
    citation: 'Tang et al., IEDM 2018; aihwkit EcRamPresetDevice',
    values: {
      dwMin: 0.002, upDown: 0, wMax: 1.1724, wMin: -0.8276, gammaUp: 0.1153, gammaDown: 0.5085,
      multNoise: true, dwMinDtod: 0.1, upDownDtod: 0.01, wMaxDtod: 0.05, wMinDtod: 0.05,
      gammaUpDtod: 0.05, gammaDownDtod: 0.05, dwMinStd: 0.3,
    },
  },
  {
    name: 'ecram-mo',
    kind: 'linear-step',
    citation: 'Kim et al., IEDM 2019; aihwkit EcRamMOPresetDevice',
    values: {
      dwMin: 2.8214e-4, upDown: 0, wMax: 1.1714, wMin: -0.8286, gammaUp: 0.4152, gammaDown: 0.7342,
      multNoise: true, dwMinDtod: 0.1, upDownDtod: 0.01, wMaxDtod: 0.05, wMinDtod: 0.05,
      gammaUpDtod: 0.05, gammaDownDtod: 0.05, dwMinStd: 2.0,
    },
  },
  {
    name: 'idealized',
    kind: 'constant-step',
    citation: 'Gokmen & Vlasov, Front. Neurosci. 10, 333 (2016); Rasch et al. 2019; aihwkit IdealizedPresetDevice',
    values: {
      dwMin: 0.0002, upDown: 0, wMax: 1, wMin: -1,
      dwMinDtod: 0.3, upDownDtod: 0, wMaxDtod: 0.3, wMinDtod: 0.3, dwMinStd: 0.3,
    },
  },
  {
    name: 'gokmen-vlasov',
    kind: 'constant-step',
    citation: 'Gokmen & Vlasov, Front. Neurosci. 10, 333 (2016); aihwkit GokmenVlasovPresetDevice',
    values: {
      dwMin: 0.0016, upDown: 0, wMax: 1, wMin: -1,
      dwMinDtod: 0.3, upDownDtod: 0.01, wMaxDtod: 0.3, wMinDtod: 0.3, dwMinStd: 0.3,
    },
  },
  {
    name: 'pcm',
    kind: 'exp-step',
    citation: 'Nandakumar et al., Front. Neurosci. 14, 406 (2020); aihwkit PCMPresetDevice',
    note: 'uni-directional: aihwkit uses it inside a OneSidedUnitCell pair',
    values: {
      dwMin: 0.01, upDown: 0, wMax: 2, wMin: 0,
      a: -1, b: 0, gammaUp: 2.5, gammaDown: 2.5, aUp: -27.235, aDown: -2.235,
      reset: 0.01, resetDtod: 0.02,
      dwMinDtod: 0.2, upDownDtod: 0.05, wMaxDtod: 0.1, wMinDtod: 0,
      dwMinStd: 0.6, dwMinStdAdd: 0.042, dwMinStdSlope: 0.108,
    },
  },
  {
    name: 'reram-array-om',
    kind: 'soft-bounds-reference',
    citation: 'Gong & Rasch et al., IEDM 2022 ("optimized material"); aihwkit ReRamArrayOMPresetDevice',
    note: 'measured corrupt-device probability 0.135 (preset uses 0)',
    values: {
      dwMin: 0.0949, upDown: 0, wMax: 1, wMin: -1, dwMinDtodLogNormal: true,
      subtractSymmetryPoint: true, referenceStd: 0.05, corruptDevicesRange: 0.01, corruptDevicesProb: 0,
      dwMinDtod: 0.7829, upDownDtod: 0.01, wMaxDtod: 0.3499, wMinDtod: 0.5695,
      dwMinStd: 0.4158, writeNoiseStd: 1.4113,
    },
  },
  {
    name: 'reram-array-hfo2',
    kind: 'soft-bounds-reference',
    citation: 'Gong & Rasch et al., IEDM 2022 ("baseline HfO2"); aihwkit ReRamArrayHfO2PresetDevice',
    note: 'about 4–5 states (papers.md §1.5(g)); measured corrupt-device probability 0.098 (preset uses 0)',
    values: {
      dwMin: 0.4622, upDown: 0, wMax: 1, wMin: -1, dwMinDtodLogNormal: true,
      subtractSymmetryPoint: true, referenceStd: 0.05, corruptDevicesRange: 0.01, corruptDevicesProb: 0,
      dwMinDtod: 0.7125, upDownDtod: 0.01, wMaxDtod: 0.4295, wMinDtod: 0.599,
      dwMinStd: 0.2174, writeNoiseStd: 0.5841,
    },
  },
];

export function findDevicePreset(name: string): DevicePreset | undefined {
  return devicePresets.find((preset) => preset.name === name);
}

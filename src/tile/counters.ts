/**
 * Everything a tile does is counted, by purpose (architecture.md decision 6): the seed papers
 * compare algorithms by pulse budget. A purpose is a free label: `update`, `transfer`,
 * `calibration`, `reference`, `forward`, `backward`, `transfer-read`, ...
 */
export interface PulseCount {
  up: number;
  down: number;
}

export interface CounterSnapshot {
  /** Pulses sent (one per coincidence), by purpose and direction. */
  pulses: Record<string, PulseCount>;
  /** Vector reads (one MVM of one input vector), by purpose. */
  reads: Record<string, number>;
  /** Vector updates (one input/error pair offered to the update engine), by purpose. */
  updates: Record<string, number>;
  /**
   * Pulse slots of direct writes (count arrays: calibration, mixed precision's and RIDER's
   * transfers), by purpose: per row written, its largest |count|, the rows one after another.
   */
  slots: Record<string, number>;
}

export class TileCounters {
  private readonly pulses = new Map<string, PulseCount>();
  private readonly reads = new Map<string, number>();
  private readonly updates = new Map<string, number>();
  private readonly slots = new Map<string, number>();

  addPulses(purpose: string, up: number, down: number): void {
    const entry = this.pulses.get(purpose);
    if (entry) {
      entry.up += up;
      entry.down += down;
    } else {
      this.pulses.set(purpose, { up, down });
    }
  }

  addReads(purpose: string, count: number): void {
    this.reads.set(purpose, (this.reads.get(purpose) ?? 0) + count);
  }

  addUpdates(purpose: string, count: number): void {
    this.updates.set(purpose, (this.updates.get(purpose) ?? 0) + count);
  }

  addSlots(purpose: string, count: number): void {
    this.slots.set(purpose, (this.slots.get(purpose) ?? 0) + count);
  }

  /** Total pulses, of one purpose or of all. */
  totalPulses(purpose?: string): number {
    if (purpose !== undefined) {
      const entry = this.pulses.get(purpose);
      return entry ? entry.up + entry.down : 0;
    }
    let total = 0;
    for (const entry of this.pulses.values()) total += entry.up + entry.down;
    return total;
  }

  totalReads(purpose?: string): number {
    if (purpose !== undefined) return this.reads.get(purpose) ?? 0;
    let total = 0;
    for (const count of this.reads.values()) total += count;
    return total;
  }

  snapshot(): CounterSnapshot {
    const pulses: Record<string, PulseCount> = {};
    for (const [purpose, entry] of this.pulses) pulses[purpose] = { ...entry };
    return { pulses, reads: Object.fromEntries(this.reads), updates: Object.fromEntries(this.updates), slots: Object.fromEntries(this.slots) };
  }

  restore(snapshot: CounterSnapshot): void {
    this.pulses.clear();
    this.reads.clear();
    this.updates.clear();
    this.slots.clear();
    for (const [purpose, entry] of Object.entries(snapshot.pulses)) this.pulses.set(purpose, { ...entry });
    for (const [purpose, count] of Object.entries(snapshot.reads)) this.reads.set(purpose, count);
    for (const [purpose, count] of Object.entries(snapshot.updates)) this.updates.set(purpose, count);
    for (const [purpose, count] of Object.entries(snapshot.slots)) this.slots.set(purpose, count);
  }
}

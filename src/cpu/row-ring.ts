/**
 * Which input rows the separable kernels hold reduced: slot h mod size, where size is the
 * effective kernel height, so the rows of one window never share a slot. Output rows only move
 * down, so each input row is reduced once per image.
 */
export class RowRing {
  private readonly held: Int32Array;

  constructor(readonly size: number) {
    this.held = new Int32Array(size);
  }

  clear(): void {
    this.held.fill(-1);
  }

  slot(h: number): number {
    return h % this.size;
  }

  /** True (and marks it held) when row h is not in its slot yet. */
  needs(slot: number, h: number): boolean {
    if (this.held[slot] === h) return false;
    this.held[slot] = h;
    return true;
  }
}

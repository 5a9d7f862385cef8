/**
 * How a windowed SIMD call is cut into staged blocks (threads.ts runs them): whole units (NCHW
 * planes, NHWC images) while a block's input and outputs fit a thread's staging area, else runs of
 * output rows of one unit over the input rows their windows read. A block is staged, computed and
 * copied out before the next, so its data stays in the thread's cache: the input is read from
 * memory once, and the staging area is reused instead of a copy of the whole tensor in wasm memory
 * (measured in docs/cpu-backend.md, "Staged blocks").
 */
import { ARGS_MAX, BLOCK_RECORD, MAX_BLOCKS } from './threads.js';

/** Bytes of input a block may stage; its outputs and indices get as much each. */
export const STAGE_BYTES = 256 * 1024;

/** Independent units of a call (NCHW planes, NHWC images) and the elements each reads and writes. */
export interface Units {
  count: number;
  inputs: number;
  outputs: number;
}

/** A kernel's input, output and index addresses. */
export interface Addresses {
  x: number;
  out: number;
  idx: number;
}

/** One kernel call: an export and its arguments (plain integers, so that a worker can run it too). */
export interface Call {
  fn: string;
  args: number[];
}

/** A windowed kernel's output rows: the call for rows [r0, r0 + rn) moves its row tables and outH to them. */
export interface RowSplit {
  outH: number;
  /** Output elements of one output row of a unit. */
  rowOutputs: number;
  /** Input elements of one input row of a unit. */
  rowInputs: number;
  /** The first and last input rows output row o reads; first > last when none. */
  rowSpan(o: number): [number, number];
}

export interface StagedCall {
  units: Units;
  rows: RowSplit;
  withIndices: boolean;
  /** Argument index of the indices' address in the kernel's calls; -1 when it takes none. */
  idxArg: number;
  kernel(at: Addresses, count: number, r0: number, rn: number): Call;
}

/** Where a slot's staging areas lie, relative to the slot. */
export interface Stage {
  /** Bytes of reach before and after the staged input (the NCHW border loads). */
  reach: number;
  xStage: number;
  outStage: number;
  idxStage: number;
  slotBytes: number;
}

export function stageLayout(reach: number): Stage {
  const xStage = reach;
  const outStage = xStage + STAGE_BYTES + reach + 16;
  const idxStage = outStage + STAGE_BYTES + 16;
  return { reach, xStage, outStage, idxStage, slotBytes: idxStage + STAGE_BYTES + 16 };
}

/**
 * The block records of `c` (threads.ts runBlocks), and the kernels they name; null when one output
 * row of a unit does not fit a stage (the caller then runs its chunked path). With `threads` > 1,
 * at least `perThread` blocks per thread where the call has that many rows, so that a slow thread
 * is made up by the others.
 */
export function planBlocks(c: StagedCall, stage: Stage, threads: number, perThread: number): { blocks: Int32Array; fns: string[] } | null {
  const { units, rows } = c;
  const fns: string[] = [];
  const records: number[] = [];
  const add = (call: Call, xSrc: number, xLen: number, outDst: number, outLen: number) => {
    let f = fns.indexOf(call.fn);
    if (f < 0) f = fns.push(call.fn) - 1;
    records.push(f, call.args.length, ...call.args, ...new Array<number>(ARGS_MAX - call.args.length).fill(0));
    records.push(c.withIndices ? c.idxArg : -1, xSrc, xLen, outDst, outLen, outDst, c.withIndices ? outLen : 0);
  };
  // The kernel's view: its input starts xLo rows before the stage (row blocks), outputs at the stage.
  const at = (xLo: number): Addresses => ({ x: stage.xStage - xLo * rows.rowInputs * 4, out: stage.outStage, idx: stage.idxStage });
  const target = threads > 1 ? perThread * threads : 1;
  const fit = Math.min(Math.floor(STAGE_BYTES / (4 * units.inputs)), Math.floor(STAGE_BYTES / (4 * units.outputs)));
  if (fit >= 1 && (units.count >= target || threads === 1)) {
    const per = Math.max(1, Math.min(fit, Math.ceil(units.count / target)));
    for (let u = 0; u < units.count; u += per) {
      const m = Math.min(per, units.count - u);
      add(c.kernel(at(0), m, 0, rows.outH), u * units.inputs, m * units.inputs, u * units.outputs, m * units.outputs);
    }
  } else {
    const maxOut = Math.floor(STAGE_BYTES / (4 * rows.rowOutputs));
    const maxIn = Math.floor(STAGE_BYTES / (4 * rows.rowInputs));
    if (maxOut < 1 || maxIn < 1) return null;
    const cap = threads > 1 ? Math.max(1, Math.ceil((rows.outH * units.count) / target)) : Infinity;
    for (let u = 0; u < units.count; u++) {
      for (let r0 = 0; r0 < rows.outH; ) {
        let rn = 0;
        let lo = Infinity;
        let hi = -1;
        while (r0 + rn < rows.outH && rn < maxOut && rn < cap) {
          const [a, b] = rows.rowSpan(r0 + rn);
          const nlo = b >= a ? Math.min(lo, a) : lo;
          const nhi = b >= a ? Math.max(hi, b) : hi;
          if (nhi >= nlo && nhi - nlo + 1 > maxIn) break;
          lo = nlo;
          hi = nhi;
          rn++;
        }
        if (rn === 0) return null;
        const reads = hi >= lo;
        const first = reads ? lo : 0;
        const len = reads ? (hi - lo + 1) * rows.rowInputs : 0;
        add(c.kernel(at(first), 1, r0, rn), u * units.inputs + first * rows.rowInputs, len, u * units.outputs + r0 * rows.rowOutputs, rn * rows.rowOutputs);
        r0 += rn;
      }
    }
  }
  if (records.length / BLOCK_RECORD > MAX_BLOCKS) return null;
  return { blocks: Int32Array.from(records), fns };
}

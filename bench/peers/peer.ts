/**
 * What the runner asks of a peer implementation (TF.js, ONNX Runtime Web): run one op pass on the
 * benchmark's data and say how long it took. The runner checks the result against the reference.
 */
import type { Layout } from '../../src/types.js';
import type { BenchCase, OpName, Pass, PoolWindow } from '../cases.js';
import type { Impl, TimingSource } from '../rows.js';
import type { RunPlan } from '../timing.js';

export interface PeerCall {
  benchCase: BenchCase;
  op: OpName;
  pass: Pass;
  /** The peer's own layout family (its `layout`, see cases.ts LAYOUTS); x and dy are in it. */
  layout: Layout;
  /** Logical [N, C, ...spatial] input: rank 4, or 3 / 5 for the 1-D / 3-D cases. */
  input: readonly number[];
  /** Logical output, [N, C, 1, 1] for the global ops. */
  output: readonly number[];
  window?: PoolWindow;
  x: Float32Array;
  /** Backward: the output gradient. */
  dy?: Float32Array;
  plan: RunPlan;
}

export interface PeerResult {
  /** The forward output or the input gradient, in the peer's layout. */
  result: Float32Array;
  kernelMs: number;
  timing: TimingSource;
  e2eMs: number;
  runs: number;
  /** What to know about this result (e.g. it ran on the CPU, or which form of the op was timed). */
  note?: string;
}

export interface Peer {
  readonly impl: Impl;
  /** The adapter it ran on, as the JSON `adapter` field. */
  readonly adapter: string;
  readonly layout: Layout;
  /**
   * Whether its average pooling counts the padding in the divisor; it is checked against the
   * reference with that rule (TF excludes the padding, PyTorch and ours include it).
   */
  readonly avgCountIncludePad: boolean;
  supports(op: OpName, pass: Pass): boolean;
  /** A known fault to print beside a result, e.g. TF.js's AvgPoolGrad at padded edges. */
  knownFault?(call: PeerCall): string | undefined;
  run(call: PeerCall): Promise<PeerResult>;
  dispose(): Promise<void> | void;
}

/** A peer the CLI (or page) set up, or the reason it could not be. */
export interface PeerSlot {
  impl: Impl;
  layout: Layout;
  supports(op: OpName, pass: Pass): boolean;
  peer?: Peer;
  failure?: string;
}

export function failedSlot(impl: Impl, layout: Layout, supports: (op: OpName, pass: Pass) => boolean, error: unknown): PeerSlot {
  const message = error instanceof Error ? error.message : String(error);
  return { impl, layout, supports, failure: message.split('\n')[0]!.slice(0, 300) };
}

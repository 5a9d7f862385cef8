/**
 * Data of a channel-first `shape` ([N, C, ...spatial]) reordered between the two memory orders:
 * to 'last', channel-first data becomes channels-last; to 'first', the reverse. The CPU benchmarks
 * use it to give both of our layouts, and the peers, the same values.
 */
export function reorder(x: Float32Array, shape: readonly number[], to: 'first' | 'last'): Float32Array {
  const [N, C] = shape as [number, number];
  const S = shape.slice(2).reduce((a, b) => a * b, 1);
  const y = new Float32Array(x.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let s = 0; s < S; s++) {
        const first = (n * C + c) * S + s;
        const last = (n * S + s) * C + c;
        if (to === 'last') y[last] = x[first]!;
        else y[first] = x[last]!;
      }
    }
  }
  return y;
}

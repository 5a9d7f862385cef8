// The stores of a W4 group (four outputs of a channel-first row, the first at element `out` of y,
// `lanes` of them real): each real lane's reduced value. Shared by the N-d and the plane W4
// mappings (nd/map-window-w4.wgsl, plane/map-plane-w4.wgsl), which both build W4Windows values.
// Provides: W4Windows, store_w4_values. Requires: Acc, acc_value (a reduction), WindowTaps, store_y.

// The four lanes' accumulators and windows, as separate values (not arrays: a dynamically indexed
// local array is spilled to memory on software adapters), with the element of y holding the
// group's first output and how many of the four outputs are real.
struct W4Windows {
  a0: Acc,
  a1: Acc,
  a2: Acc,
  a3: Acc,
  t0: WindowTaps,
  t1: WindowTaps,
  t2: WindowTaps,
  t3: WindowTaps,
  out: u32,
  lanes: i32,
}

fn store_w4_values(g: W4Windows) {
  store_y(g.out, acc_value(g.a0, g.t0));
  if (g.lanes > 1) {
    store_y(g.out + 1u, acc_value(g.a1, g.t1));
  }
  if (g.lanes > 2) {
    store_y(g.out + 2u, acc_value(g.a2, g.t2));
  }
  if (g.lanes > 3) {
    store_y(g.out + 3u, acc_value(g.a3, g.t3));
  }
}

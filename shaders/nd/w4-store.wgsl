// The stores of a W4 group (four outputs of a channel-first row, the first at element `out` of y,
// `lanes` of them real): each real lane's reduced value. Shared by the N-d and the plane W4
// mappings (nd/map-window-w4.wgsl, plane/map-plane-w4.wgsl), which both build W4Windows values.
// Provides: W4Windows, store_w4_values. Requires: Acc, acc_value (a reduction), WindowTaps, store_y.

// The four lanes' accumulators and windows, as separate values (not arrays: a dynamically indexed
// local array is spilled to memory on software adapters), with the element of y holding lane 0's
// output and the lanes to store, first <= lane < lanes: lanes < 4 in a row's short last group;
// first > 0 in a last group shifted back to hold four real outputs (map-window-w4.wgsl's full-row
// form), whose first lanes the group before it stores.
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
  first: i32,
  lanes: i32,
}

fn store_w4_values(g: W4Windows) {
  if (g.first == 0) {
    store_y(g.out, acc_value(g.a0, g.t0));
  }
  if (g.first <= 1 && g.lanes > 1) {
    store_y(g.out + 1u, acc_value(g.a1, g.t1));
  }
  if (g.first <= 2 && g.lanes > 2) {
    store_y(g.out + 2u, acc_value(g.a2, g.t2));
  }
  if (g.lanes > 3) {
    store_y(g.out + 3u, acc_value(g.a3, g.t3));
  }
}

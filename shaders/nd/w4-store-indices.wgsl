// The index stores of a W4 group (max pooling with indices): each stored lane's reduction index,
// beside w4-store.wgsl's values. A file of its own because only the max reduction has acc_index.
// Provides: store_w4_indices. Requires: W4Windows (a W4 mapping), acc_index, store_index.

fn store_w4_indices(g: W4Windows) {
  if (g.first == 0) {
    store_index(g.out, acc_index(g.a0));
  }
  if (g.first <= 1 && g.lanes > 1) {
    store_index(g.out + 1u, acc_index(g.a1));
  }
  if (g.first <= 2 && g.lanes > 2) {
    store_index(g.out + 2u, acc_index(g.a2));
  }
  if (g.lanes > 3) {
    store_index(g.out + 3u, acc_index(g.a3));
  }
}

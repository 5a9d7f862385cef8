// Global max, pass 1 over NCHW chunks with subgroup operations: the `chunk` entry point of
// map-global.wgsl without its tree of barriers. Needs the `subgroups` feature; the host puts
// `enable subgroups;` first. One workgroup per (plane, chunk), numbered and written as `chunk`:
//   1. each invocation scans its strided positions of the chunk first-wins, as in `chunk`;
//   2. each subgroup finds its best (value, position) pair with two subgroup operations on the
//      keys below (no shuffles, so any subgroup size and partly filled subgroups work);
//   3. each subgroup's winning invocation claims a slot in workgroup memory; after the one
//      barrier, invocation 0 merges the slots with `better`.
// `better` is a strict total order on (value, position) pairs, positions being distinct, so the
// order in which pairs meet does not change the winner: it is always the sequential scan's.
// Requires: map-global.wgsl (scan_plane); part-max.wgsl (Part, better, part_merge, store_part).

const NAN_SUBGROUP_KEY = 0xffffffffu;
const NO_RANK = 0xffffffffu;

var<workgroup> slot_count: atomic<u32>;
var<workgroup> slots: array<Part, WG>;

// A u32 ordered as `better` orders values: order_key (common.wgsl) with every NaN made one key,
// moved into unsigned order, so every NaN is on top (NAN_SUBGROUP_KEY), then +inf down to -inf with
// -0 equal to +0, and an empty pair (index -1) gets 0, below -inf (whose key maps to 0x00800000).
fn value_key(bits: u32, i: i32) -> u32 {
  let k = order_key(bits);
  let one_nan = select(k, 0x7fffffff, is_nan_key(k));
  return select(0u, bitcast<u32>(one_nan) ^ 0x80000000u, i >= 0);
}

// Among pairs of equal key the smaller rank wins: the earlier position, or for NaN the later one.
fn position_rank(i: i32, nan: bool) -> u32 {
  return select(u32(i), 0x7fffffffu - u32(i), nan);
}

@compute @workgroup_size(WG)
fn chunk_subgroup(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  // Uniform per workgroup, so the subgroup operations and the barrier stay in uniform control flow.
  let g = domain_workgroup(wid, nwg);
  let pk = chunk_of(g);
  let p = pk.x;
  let k = pk.y;
  let span = chunk_positions(k);
  var best = part_empty();
  if (g < params.end) {
    best = scan_plane(p, span.x + lid.x, span.y, WG);
  }
  let best_index = best.index;
  let key = value_key(best.bits, best_index);
  let top_key = subgroupMax(key);
  let rank = select(NO_RANK, position_rank(best_index, top_key == NAN_SUBGROUP_KEY), key == top_key && best_index >= 0);
  let top_rank = subgroupMin(rank);
  // One winner per subgroup that saw any position: ranks of distinct positions differ.
  if (rank != NO_RANK && rank == top_rank) {
    let slot = atomicAdd(&slot_count, 1u);
    slots[slot] = best;
  }
  workgroupBarrier();
  if (lid.x == 0u && g < params.end) {
    let filled = atomicLoad(&slot_count);
    var a = part_empty();
    for (var i = 0u; i < filled; i++) {
      a = part_merge(a, slots[i]);
    }
    store_part(p * params.chunks + k, a, params.chunks == 1u);
  }
}

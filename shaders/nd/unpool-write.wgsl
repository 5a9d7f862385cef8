// Max-unpooling, fast path pass 1 (docs/unpool-fractional.md, Performance), y cleared first. One
// invocation per 4 consecutive x elements in memory order inside one split unit (a plane in
// channel-first order, a channels-last image; ceil(unit length / 4) invocations a unit). An index
// inside the volume whose target lies in its source's own stride cell (per axis
// floor((t + padBegin) / stride) == p: always so for indices from a max pool with stride >=
// kernel) stores the value's bits there directly: the cells are disjoint, so such a target has no
// other such source. Any other index inside the volume raises `flag`, and the fallback pass
// (unpool-fallback.wgsl) then redoes the planes by the bid rule. Coordinates are found once per
// invocation and stepped lane by lane, and the cell test scans the cell's rows: no division per
// element. In NdParams `in` is x's spatial size, `out` y's, `s` / `pb` the pool's stride and
// begin padding. Split: x and indices in group 'in', y in 'out', flag bound whole (one word).
// Requires: nd-layout.wgsl, unpool-cells.wgsl (in_own_cell), linear_invocation.
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> y: array<u32>;
@group(0) @binding(4) var<storage, read_write> flag: array<atomic<u32>>;

// The accessors own the split offsets: elements of the whole tensors, carried as bits.
fn load_x(i: u32) -> u32 { return x[i - params.inOffset]; }
fn load_index(i: u32) -> i32 { return indices[i - params.inOffset]; }
fn store_y(i: u32, v: u32) { y[i - params.outOffset] = v; }


@compute @workgroup_size(WG)
fn write_values(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let size = in_size();
  let o = out_size();
  let xVol = u32(volume_of(size));
  let yVol = volume_of(o);
  let C = u32(params.C);
  let L = select(xVol, xVol * C, CHANNELS_LAST);
  let G = (L + 3u) / 4u;
  let u = i / G;
  let r = (i - u * G) * 4u;
  let lanes = min(L - r, 4u);
  let first = u * L + r;
  // Unit base of y, the first element's channel (channels-last) and volume position.
  let yBase = u * u32(yVol) * select(1u, C, CHANNELS_LAST);
  var c = select(0u, r % C, CHANNELS_LAST);
  let v = i32(select(r, r / C, CHANNELS_LAST));
  var p = vec3i(v / (size.y * size.z), (v / size.z) % size.y, v % size.z);
  for (var t = 0u; t < lanes; t++) {
    let j = first + t;
    let idx = load_index(j);
    if (idx >= 0 && idx < yVol) {
      if (in_own_cell(idx, p, o)) {
        let dst = select(yBase + u32(idx), yBase + u32(idx) * C + c, CHANNELS_LAST);
        store_y(dst, load_x(j));
      } else {
        atomicStore(&flag[0], 1u);
      }
    }
    // Step to the next element: the next channel, or the next position.
    var next = true;
    if (CHANNELS_LAST) {
      c += 1u;
      next = c == C;
      c = select(c, 0u, next);
    }
    if (next) {
      p.z += 1;
      if (p.z == size.z) {
        p.z = 0;
        p.y += 1;
        if (p.y == size.y) {
          p.y = 0;
          p.x += 1;
        }
      }
    }
  }
}

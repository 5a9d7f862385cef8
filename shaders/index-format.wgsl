// Conversions of max-pooling index tensors between the library's plane format (flat row-major
// position inside each (n, c) row, plane or volume; docs/api.md "Index formats") and the
// interchange formats: TENSOR adds the (n, c) plane's offset in the logical channel-first tensor
// (ONNX MaxPool's Indices), COLUMN_MAJOR orders the position within the plane column-major (ONNX
// storage_order = 1). TO_PLANE runs the inverse, for the backward and unpooling ops: an index that
// names no position of its own plane becomes -1, which every consumer treats as "no index".
// -1 (a window with no real tap) stays -1 both ways. One invocation per index element.
// Requires: the IndexFormatParams uniform (generated from src/kernels/index-format.ts), linear_invocation.
override CHANNELS_LAST: bool = false;
override TO_PLANE: bool = false;
override TENSOR: bool = true;
override COLUMN_MAJOR: bool = false;
// TensorFlow's formats: the channel interleaved, p·C + c (TENSOR: (n·V + p)·C + c).
override INTERLEAVED: bool = false;

@group(0) @binding(1) var<storage, read> src: array<i32>;
@group(0) @binding(2) var<storage, read_write> dst: array<i32>;

// The accessors own the split offsets: elements of the whole index tensors.
fn load_src(i: u32) -> i32 { return src[i - params.inOffset]; }
fn store_dst(i: u32, v: i32) { dst[i - params.outOffset] = v; }

// The (n, c) plane of index element i: its offset in a channel-first tensor of the input's planes.
fn plane_of(i: u32) -> u32 {
  let volume = u32(params.outVolume);
  let C = u32(params.C);
  if (CHANNELS_LAST) {
    let c = i % C;
    let n = i / (C * volume);
    return n * C + c;
  }
  return i / volume;
}

// Row-major position p over (D, H, W) to column-major (w·H + h)·D + d, or back.
fn reorder(p: i32, to_column_major: bool) -> i32 {
  let D = params.D;
  let H = params.H;
  let W = params.W;
  if (to_column_major) {
    let w = p % W;
    let h = (p / W) % H;
    let d = p / (W * H);
    return (w * H + h) * D + d;
  }
  let d = p % D;
  let h = (p / D) % H;
  let w = p / (D * H);
  return (d * H + h) * W + w;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let v = load_src(i);
  let size = params.D * params.H * params.W;
  var out = -1;
  let plane = plane_of(i);
  let C = u32(params.C);
  if (TO_PLANE) {
    // Unsigned, so that an index of another plane (or a negative one) falls outside [0, size).
    var p = bitcast<u32>(v);
    var ok = v != -1;
    if (INTERLEAVED) {
      if (TENSOR) {
        p = p - (plane / C) * u32(size) * C;
      }
      // The channel must be the element's own: another channel's index names no position here.
      ok = ok && p < u32(size) * C && p % C == plane % C;
      p = p / C;
    } else if (TENSOR) {
      p = p - plane * u32(size);
    }
    if (ok && p < u32(size)) {
      out = select(i32(p), reorder(i32(p), false), COLUMN_MAJOR);
    }
  } else if (v >= 0 && v < size) {
    let q = select(v, reorder(v, true), COLUMN_MAJOR);
    if (INTERLEAVED) {
      let image = select(0u, (plane / C) * u32(size), TENSOR);
      out = i32((image + u32(q)) * C + plane % C);
    } else {
      out = select(q, q + i32(plane) * size, TENSOR);
    }
  }
  store_dst(i, out);
}

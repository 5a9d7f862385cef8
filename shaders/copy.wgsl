// Plain buffer copy, the bandwidth ceiling the benchmark compares pooling against (BENCH.md's
// "% of copy"): one invocation per vec4, dst[i] = src[i]. Every byte is read once and written once,
// the same minimum traffic rule the pooling rows use. The host spreads workgroups over (x, y).

struct CopyParams {
  vec4s: u32,
}

@group(0) @binding(0) var<uniform> params: CopyParams;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = linear_invocation(wid, nwg, lid);
  if (i < params.vec4s) {
    dst[i] = src[i];
  }
}

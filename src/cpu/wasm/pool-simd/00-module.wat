;; WebAssembly SIMD kernels of the CPU backend: max and average pooling forward, global max and
;; global average. simd.ts owns the memory layout and calls them; src/reference/ is the
;; oracle. Max and global kernels keep the reference's results bit for bit:
;;
;; - Max: a tap replaces the running winner when `v > m || v != v`, the reference's test, done on
;;   four lanes at once (f32x4.gt | f32x4.ne, then v128.bitselect of value and index). bitselect
;;   copies bits, so -0/+0 and NaN payloads come through untouched; the winner is the first maximum
;;   in row-major order, or the last NaN.
;; - Average: f32 sums in the reference's order (row-major, from +0) divided in f32 by the
;;   reference's divisor, as PyTorch's CPU kernel accumulates float (the reference sums in f64; the
;;   difference is inside docs/semantics.md's tolerance). Global average keeps f64 sums: a plane has
;;   thousands of terms, and its results are the reference's bit for bit.
;; - Max without indices: `v > m || v != v` is pmax(m, v) (`m < v ? v : m`) except for a NaN v,
;;   put back by a bitselect: three instructions a tap instead of four, and no index lanes.
;;
;; No function calls inside the tap loops: V8 does not inline wasm calls, and a call per tap cost
;; half the time of 3x3 max pooling (measured 1.39 ms against 0.70 ms on 1x192x28x28), so the
;; strided loads are written out where they are used.
;;
;; Lanes: NHWC puts four neighbouring channels of one window in a vector; NCHW puts the windows of
;; four neighbouring outputs of one output row (taps sW floats apart: one load for stride 1, two
;; and a shuffle for stride 2, four lane loads otherwise). Tables from the host
;; give, per output row and per output column, the first real tap's input coordinate and the
;; number of real taps (i32 pairs), so no loop tests a tap for being inside the input.
;;
;; The module is split into fragments (this directory), one job each; scripts/build-wasm.mjs wraps
;; them, in name order, in one (module) and assembles it into ../pool-simd.wasm.ts;
;; test/cpu-simd.test.ts checks that the committed bytes are the fragments'.

  (memory (export "memory") 1)

  ;; Four floats `s` floats apart from byte address a: the taps of four neighbouring NCHW windows.
  ;; Stride 2 reads one float past the last lane; the host leaves 16 bytes after x for it.
  (func $load4 (param $a i32) (param $s i32) (result v128)
    (if (result v128) (i32.eq (local.get $s) (i32.const 1))
      (then (v128.load align=4 (local.get $a)))
      (else
        (if (result v128) (i32.eq (local.get $s) (i32.const 2))
          (then
            (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
              (v128.load align=4 (local.get $a))
              (v128.load offset=16 align=4 (local.get $a))))
          (else
            (f32x4.replace_lane 3
              (f32x4.replace_lane 2
                (f32x4.replace_lane 1
                  (f32x4.splat (f32.load (local.get $a)))
                  (f32.load (i32.add (local.get $a) (i32.shl (local.get $s) (i32.const 2)))))
                (f32.load (i32.add (local.get $a) (i32.shl (local.get $s) (i32.const 3)))))
              (f32.load (i32.add (local.get $a) (i32.mul (local.get $s) (i32.const 12))))))))))

  ;; The reference's scan of one window: hn rows from h0 (dH apart), wn columns from w0 (dW apart),
  ;; of the plane at byte address $plane whose pixels are $stride floats apart. No real tap: -inf, -1.
  (func $max_window (param $plane i32) (param $stride i32) (param $W i32)
      (param $h0 i32) (param $hn i32) (param $dH i32) (param $w0 i32) (param $wn i32) (param $dW i32)
      (result f32 i32)
    (local $m f32) (local $id i32) (local $r i32) (local $c i32) (local $rowIdx i32) (local $tap i32)
    (local $v f32) (local $take i32)
    (if (i32.or (i32.eqz (local.get $hn)) (i32.eqz (local.get $wn)))
      (then (return (f32.const -inf) (i32.const -1))))
    (local.set $rowIdx (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)))
    (local.set $id (local.get $rowIdx))
    (local.set $m (f32.load (i32.add (local.get $plane)
      (i32.shl (i32.mul (local.get $id) (local.get $stride)) (i32.const 2)))))
    (loop $rows
      (local.set $tap (local.get $rowIdx))
      (local.set $c (i32.const 0))
      (loop $cols
        (local.set $v (f32.load (i32.add (local.get $plane)
          (i32.shl (i32.mul (local.get $tap) (local.get $stride)) (i32.const 2)))))
        (local.set $take (i32.or (f32.gt (local.get $v) (local.get $m)) (f32.ne (local.get $v) (local.get $v))))
        (local.set $m (select (local.get $v) (local.get $m) (local.get $take)))
        (local.set $id (select (local.get $tap) (local.get $id) (local.get $take)))
        (local.set $tap (i32.add (local.get $tap) (local.get $dW)))
        (br_if $cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
      (local.set $rowIdx (i32.add (local.get $rowIdx) (i32.mul (local.get $dH) (local.get $W))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))
    (local.get $m)
    (local.get $id))

  ;; f32 sum of one window's real taps in row-major order, from +0.
  (func $sum_window (param $plane i32) (param $W i32)
      (param $h0 i32) (param $hn i32) (param $w0 i32) (param $wn i32) (result f32)
    (local $sum f32) (local $r i32) (local $c i32) (local $rowIdx i32) (local $tap i32)
    (if (i32.or (i32.eqz (local.get $hn)) (i32.eqz (local.get $wn)))
      (then (return (f32.const 0))))
    (local.set $rowIdx (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)))
    (loop $rows
      (local.set $tap (local.get $rowIdx))
      (local.set $c (i32.const 0))
      (loop $cols
        (local.set $sum (f32.add (local.get $sum)
          (f32.load (i32.add (local.get $plane) (i32.shl (local.get $tap) (i32.const 2))))))
        (local.set $tap (i32.add (local.get $tap) (i32.const 1)))
        (br_if $cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
      (local.set $rowIdx (i32.add (local.get $rowIdx) (local.get $W)))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))
    (local.get $sum))

  ;; sum / divisor, 0 where the divisor is 0 (docs/semantics.md).
  (func $quotient (param $sum f32) (param $divisor f32) (result f32)
    (if (result f32) (f32.eq (local.get $divisor) (f32.const 0))
      (then (f32.const 0))
      (else (f32.div (local.get $sum) (local.get $divisor)))))

  ;; Four sums over four divisors; 0 where a divisor is 0.
  (func $quotient4 (param $sum v128) (param $divisor v128) (result v128)
    (v128.and
      (f32x4.div (local.get $sum) (local.get $divisor))
      (f32x4.ne (local.get $divisor) (f32x4.splat (f32.const 0)))))

  ;; The divisor of window (oh, ow): the override, or the product of the per-axis factors (f32 tables).
  (func $divisor (param $override f32) (param $rowF i32) (param $colF i32) (param $oh i32) (param $ow i32) (result f32)
    (if (result f32) (f32.ne (local.get $override) (f32.const 0))
      (then (local.get $override))
      (else (f32.mul
        (f32.load (i32.add (local.get $rowF) (i32.shl (local.get $oh) (i32.const 2))))
        (f32.load (i32.add (local.get $colF) (i32.shl (local.get $ow) (i32.const 2))))))))

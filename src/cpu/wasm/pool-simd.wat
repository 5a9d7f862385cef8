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
;;   difference is inside SEMANTICS.md's tolerance). Global average keeps f64 sums: a plane has
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
;; Assembled by scripts/build-wasm.mjs into pool-simd.wasm.ts; test/cpu-simd.test.ts checks that
;; the committed bytes are this file's.
(module
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

  ;; sum / divisor, 0 where the divisor is 0 (SEMANTICS.md).
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

  ;; ---------------------------------------------------------------------------------------------
  ;; Max pooling, NHWC, C >= 4: per output pixel, channels four at a time; the last group starts at
  ;; C - 4 and may repeat channels of the one before (same results, written twice).
  (func (export "max_nhwc")
      (param $x i32) (param $out i32) (param $idx i32) (param $withIdx i32)
      (param $images i32) (param $C i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
      (param $rows i32) (param $cols i32) (param $dH i32) (param $dW i32)
    (local $img i32) (local $oh i32) (local $ow i32) (local $g i32) (local $lastG i32)
    (local $h0 i32) (local $hn i32) (local $w0 i32) (local $wn i32)
    (local $image i32) (local $first i32) (local $firstIdx i32)
    (local $r i32) (local $c i32) (local $rowAddr i32) (local $rowIdx i32) (local $addr i32) (local $tap i32)
    (local $rowStep i32) (local $colStep i32) (local $rowIdxStep i32) (local $o i32) (local $t i32)
    (local $m v128) (local $id v128) (local $v v128) (local $take v128)
    (local.set $lastG (i32.sub (local.get $C) (i32.const 4)))
    (local.set $colStep (i32.shl (i32.mul (local.get $dW) (local.get $C)) (i32.const 2)))
    (local.set $rowIdxStep (i32.mul (local.get $dH) (local.get $W)))
    (local.set $rowStep (i32.shl (i32.mul (local.get $rowIdxStep) (local.get $C)) (i32.const 2)))
    (local.set $image (local.get $x))
    (block $images_done (loop $images_loop
      (br_if $images_done (i32.ge_u (local.get $img) (local.get $images)))
      (local.set $oh (i32.const 0))
      (block $oh_done (loop $oh_loop
        (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $t (i32.add (local.get $rows) (i32.shl (local.get $oh) (i32.const 3))))
        (local.set $h0 (i32.load (local.get $t)))
        (local.set $hn (i32.load offset=4 (local.get $t)))
        (local.set $ow (i32.const 0))
        (block $ow_done (loop $ow_loop
          (br_if $ow_done (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $t (i32.add (local.get $cols) (i32.shl (local.get $ow) (i32.const 3))))
          (local.set $w0 (i32.load (local.get $t)))
          (local.set $wn (i32.load offset=4 (local.get $t)))
          (if (i32.or (i32.eqz (local.get $hn)) (i32.eqz (local.get $wn)))
            (then
              (call $fill_empty_max
                (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 2)))
                (i32.add (local.get $idx) (i32.shl (local.get $o) (i32.const 2)))
                (local.get $C) (local.get $withIdx)))
            (else
              (local.set $firstIdx (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)))
              (local.set $first (i32.add (local.get $image)
                (i32.shl (i32.mul (local.get $firstIdx) (local.get $C)) (i32.const 2))))
              (local.set $g (i32.const 0))
              (loop $groups
                (local.set $rowAddr (i32.add (local.get $first) (i32.shl (local.get $g) (i32.const 2))))
                (local.set $m (v128.load align=4 (local.get $rowAddr)))
                (local.set $id (i32x4.splat (local.get $firstIdx)))
                (local.set $rowIdx (local.get $firstIdx))
                (local.set $r (i32.const 0))
                (if (local.get $withIdx)
                  (then
                    (loop $rows_loop
                      (local.set $addr (local.get $rowAddr))
                      (local.set $tap (local.get $rowIdx))
                      (local.set $c (i32.const 0))
                      (loop $cols_loop
                        (local.set $v (v128.load align=4 (local.get $addr)))
                        (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
                        (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $take)))
                        (local.set $id (v128.bitselect (i32x4.splat (local.get $tap)) (local.get $id) (local.get $take)))
                        (local.set $addr (i32.add (local.get $addr) (local.get $colStep)))
                        (local.set $tap (i32.add (local.get $tap) (local.get $dW)))
                        (br_if $cols_loop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
                      (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                      (local.set $rowIdx (i32.add (local.get $rowIdx) (local.get $rowIdxStep)))
                      (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))
                  (else
                    (loop $value_rows
                      (local.set $addr (local.get $rowAddr))
                      (local.set $c (i32.const 0))
                      (loop $value_cols
                        (local.set $v (v128.load align=4 (local.get $addr)))
                        (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                        (local.set $addr (i32.add (local.get $addr) (local.get $colStep)))
                        (br_if $value_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
                      (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                      (br_if $value_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))
                (local.set $t (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2)))
                (v128.store align=4 (i32.add (local.get $out) (local.get $t)) (local.get $m))
                (if (local.get $withIdx)
                  (then (v128.store align=4 (i32.add (local.get $idx) (local.get $t)) (local.get $id))))
                (if (i32.lt_u (local.get $g) (local.get $lastG))
                  (then
                    (local.set $g (i32.add (local.get $g) (i32.const 4)))
                    (if (i32.gt_u (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))
                    (br $groups))))))
          (local.set $o (i32.add (local.get $o) (local.get $C)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $ow_loop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $oh_loop)))
      (local.set $image (i32.add (local.get $image)
        (i32.shl (i32.mul (i32.mul (local.get $H) (local.get $W)) (local.get $C)) (i32.const 2))))
      (local.set $img (i32.add (local.get $img) (i32.const 1)))
      (br $images_loop))))

  (func $fill_empty_max (param $out i32) (param $idx i32) (param $n i32) (param $withIdx i32)
    (local $i i32)
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.const -inf))
      (if (local.get $withIdx)
        (then (i32.store (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2))) (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Max pooling, NCHW: per output row, the outputs [lo, hi) whose column taps are all real run four
  ;; at a time (the last group starts at hi - 4); the other columns, and rows with hi - lo < 4, take
  ;; the scalar scan.
  (func (export "max_nchw")
      (param $x i32) (param $out i32) (param $idx i32) (param $withIdx i32)
      (param $planes i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
      (param $rows i32) (param $cols i32) (param $dH i32) (param $dW i32) (param $sW i32)
      (param $lo i32) (param $hi i32)
    (local $plane i32) (local $oh i32) (local $ow i32) (local $g i32) (local $lastVec i32)
    (local $h0 i32) (local $hn i32) (local $w0 i32) (local $wn i32)
    (local $planeAddr i32) (local $firstIdx i32) (local $o i32) (local $t i32)
    (local $r i32) (local $c i32) (local $rowIdx i32) (local $tap i32) (local $rowIdxStep i32)
    (local $m v128) (local $id v128) (local $v v128) (local $take v128) (local $laneStep v128)
    (local $sm f32) (local $sid i32) (local $a i32) (local $sW4 i32)
    (local.set $laneStep (i32x4.mul (i32x4.splat (local.get $sW)) (v128.const i32x4 0 1 2 3)))
    (local.set $sW4 (i32.shl (local.get $sW) (i32.const 2)))
    (local.set $lastVec (i32.sub (local.get $hi) (i32.const 4)))
    (if (i32.lt_s (i32.sub (local.get $hi) (local.get $lo)) (i32.const 4))
      (then (local.set $lo (local.get $outW))))  ;; no vector groups
    (local.set $rowIdxStep (i32.mul (local.get $dH) (local.get $W)))
    (local.set $planeAddr (local.get $x))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $plane) (local.get $planes)))
      (local.set $oh (i32.const 0))
      (block $oh_done (loop $oh_loop
        (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $t (i32.add (local.get $rows) (i32.shl (local.get $oh) (i32.const 3))))
        (local.set $h0 (i32.load (local.get $t)))
        (local.set $hn (i32.load offset=4 (local.get $t)))
        (local.set $ow (i32.const 0))
        (block $ow_done (loop $ow_loop
          (br_if $ow_done (i32.ge_u (local.get $ow) (local.get $outW)))
          (if (i32.and (i32.and (i32.ge_u (local.get $ow) (local.get $lo)) (i32.lt_u (local.get $ow) (local.get $hi)))
                       (i32.ne (local.get $hn) (i32.const 0)))
            (then
              (local.set $g (local.get $ow))
              (if (i32.gt_u (local.get $g) (local.get $lastVec)) (then (local.set $g (local.get $lastVec))))
              (local.set $t (i32.add (local.get $cols) (i32.shl (local.get $g) (i32.const 3))))
              (local.set $w0 (i32.load (local.get $t)))
              (local.set $wn (i32.load offset=4 (local.get $t)))
              (local.set $firstIdx (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)))
              (local.set $m (call $load4
                (i32.add (local.get $planeAddr) (i32.shl (local.get $firstIdx) (i32.const 2))) (local.get $sW)))
              (local.set $id (i32x4.add (i32x4.splat (local.get $firstIdx)) (local.get $laneStep)))
              (local.set $rowIdx (local.get $firstIdx))
              (local.set $r (i32.const 0))
              (loop $rows_loop
                    (local.set $tap (local.get $rowIdx))
                    (local.set $c (i32.const 0))
                    (loop $cols_loop
                      (local.set $a (i32.add (local.get $planeAddr) (i32.shl (local.get $tap) (i32.const 2))))
                      (local.set $v (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                        (then (v128.load align=4 (local.get $a)))
                        (else (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
                          (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                            (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                          (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                            (f32x4.splat (f32.load (local.get $a)))
                            (f32.load (i32.add (local.get $a) (local.get $sW4))))
                            (f32.load (i32.add (local.get $a) (i32.shl (local.get $sW4) (i32.const 1)))))
                            (f32.load (i32.add (local.get $a) (i32.mul (local.get $sW4) (i32.const 3))))))))))
                      (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
                      (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $take)))
                      (local.set $id (v128.bitselect
                        (i32x4.add (i32x4.splat (local.get $tap)) (local.get $laneStep)) (local.get $id) (local.get $take)))
                      (local.set $tap (i32.add (local.get $tap) (local.get $dW)))
                      (br_if $cols_loop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
                    (local.set $rowIdx (i32.add (local.get $rowIdx) (local.get $rowIdxStep)))
                    (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))
              (local.set $t (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2)))
              (v128.store align=4 (i32.add (local.get $out) (local.get $t)) (local.get $m))
              (if (local.get $withIdx)
                (then (v128.store align=4 (i32.add (local.get $idx) (local.get $t)) (local.get $id))))
              (local.set $ow (i32.add (local.get $g) (i32.const 4))))
            (else
              (local.set $t (i32.add (local.get $cols) (i32.shl (local.get $ow) (i32.const 3))))
              (call $max_window (local.get $planeAddr) (i32.const 1) (local.get $W)
                (local.get $h0) (local.get $hn) (local.get $dH)
                (i32.load (local.get $t)) (i32.load offset=4 (local.get $t)) (local.get $dW))
              (local.set $sid)
              (local.set $sm)
              (local.set $t (i32.shl (i32.add (local.get $o) (local.get $ow)) (i32.const 2)))
              (f32.store (i32.add (local.get $out) (local.get $t)) (local.get $sm))
              (if (local.get $withIdx)
                (then (i32.store (i32.add (local.get $idx) (local.get $t)) (local.get $sid))))
              (local.set $ow (i32.add (local.get $ow) (i32.const 1)))))
          (br $ow_loop)))
        (local.set $o (i32.add (local.get $o) (local.get $outW)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $oh_loop)))
      (local.set $planeAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $planes_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Max pooling values without indices, NCHW, -inf padding: four neighbouring outputs of a row at
  ;; a time, the last group starting at outW - 4. Interior groups (inside [lo, hi)) scan their taps,
  ;; stride 1 with plain loads and 3-wide windows written out; border groups start from -inf and
  ;; scan every column tap with the lanes' out-of-range taps masked to -inf. Without indices that is
  ;; the reference's value: a -inf candidate never replaces a value, NaN or -0 the real taps hold,
  ;; and a window without real taps gives -inf. Rows under 4 outputs go to max_nchw.
  (func (export "max_nchw_values")
      (param $x i32) (param $out i32)
      (param $planes i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
      (param $rows i32) (param $dH i32) (param $dW i32) (param $sW i32) (param $kW i32) (param $padLeft i32)
      (param $lo i32) (param $hi i32)
    (local $plane i32) (local $oh i32) (local $ow i32) (local $g i32) (local $lastG i32)
    (local $h0 i32) (local $hn i32) (local $ws i32) (local $col i32) (local $rowStep i32) (local $dW4 i32)
    (local $planeAddr i32) (local $rowAddr i32) (local $o i32) (local $t i32)
    (local $r i32) (local $c i32) (local $a i32) (local $sW4 i32)
    (local $m v128) (local $v v128) (local $laneStep v128) (local $Wv v128) (local $cv v128)
    (local.set $lastG (i32.sub (local.get $outW) (i32.const 4)))
    (local.set $sW4 (i32.shl (local.get $sW) (i32.const 2)))
    (local.set $dW4 (i32.shl (local.get $dW) (i32.const 2)))
    (local.set $rowStep (i32.shl (i32.mul (local.get $dH) (local.get $W)) (i32.const 2)))
    (local.set $laneStep (i32x4.mul (i32x4.splat (local.get $sW)) (v128.const i32x4 0 1 2 3)))
    (local.set $Wv (i32x4.splat (local.get $W)))
    (local.set $planeAddr (local.get $x))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $plane) (local.get $planes)))
      (local.set $oh (i32.const 0))
      (block $oh_done (loop $oh_loop
        (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $t (i32.add (local.get $rows) (i32.shl (local.get $oh) (i32.const 3))))
        (local.set $h0 (i32.load (local.get $t)))
        (local.set $hn (i32.load offset=4 (local.get $t)))
        (local.set $ow (i32.const 0))
        (block $ow_done (loop $ow_loop
          (br_if $ow_done (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $g (local.get $ow))
          (if (i32.gt_s (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))
          (local.set $ws (i32.sub (i32.mul (local.get $g) (local.get $sW)) (local.get $padLeft)))
          (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
          (local.set $rowAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $h0) (local.get $W)) (i32.const 2))))
          (local.set $r (i32.const 0))
          (if (i32.ne (local.get $hn) (i32.const 0))
            (then
              (if (i32.and (i32.ge_s (local.get $g) (local.get $lo)) (i32.le_s (i32.add (local.get $g) (i32.const 4)) (local.get $hi)))
                (then
                  (if (i32.eq (local.get $sW) (i32.const 1))
                    (then
                      (loop $unit_rows
                        (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                        (if (i32.and (i32.eq (local.get $kW) (i32.const 3)) (i32.eq (local.get $dW) (i32.const 1)))
                          (then
                            ;; the 3-wide window written out: a loop of three costs more than its body
                            (local.set $v (v128.load align=4 (local.get $a)))
                            (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                            (local.set $v (v128.load offset=4 align=4 (local.get $a)))
                            (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                            (local.set $v (v128.load offset=8 align=4 (local.get $a)))
                            (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v)))))
                          (else
                            (local.set $c (i32.const 0))
                            (loop $unit_cols
                              (local.set $v (v128.load align=4 (local.get $a)))
                              (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                              (local.set $a (i32.add (local.get $a) (local.get $dW4)))
                              (br_if $unit_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))))
                        (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                        (br_if $unit_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))
                    (else
                      (loop $rows_loop
                        (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                        (local.set $c (i32.const 0))
                        (loop $cols_loop
                          (local.set $v (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                                    (then (v128.load align=4 (local.get $a)))
                                    (else (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
                                      (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                        (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                                      (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                                        (f32x4.splat (f32.load (local.get $a)))
                                        (f32.load (i32.add (local.get $a) (local.get $sW4))))
                                        (f32.load (i32.add (local.get $a) (i32.shl (local.get $sW4) (i32.const 1)))))
                                        (f32.load (i32.add (local.get $a) (i32.mul (local.get $sW4) (i32.const 3))))))))))
                          (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                          (local.set $a (i32.add (local.get $a) (local.get $dW4)))
                          (br_if $cols_loop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                        (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                        (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))))
                (else
                  (loop $masked_rows
                    (local.set $c (i32.const 0))
                    (local.set $col (local.get $ws))
                    (loop $masked_cols
                      (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $col) (i32.const 2))))
                      (local.set $cv (i32x4.add (i32x4.splat (local.get $col)) (local.get $laneStep)))
                      (local.set $v (v128.bitselect (v128.const f32x4 -inf -inf -inf -inf) (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                                    (then (v128.load align=4 (local.get $a)))
                                    (else (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
                                      (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                        (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                                      (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                                        (f32x4.splat (f32.load (local.get $a)))
                                        (f32.load (i32.add (local.get $a) (local.get $sW4))))
                                        (f32.load (i32.add (local.get $a) (i32.shl (local.get $sW4) (i32.const 1)))))
                                        (f32.load (i32.add (local.get $a) (i32.mul (local.get $sW4) (i32.const 3)))))))))
                        (v128.or (i32x4.lt_s (local.get $cv) (v128.const i32x4 0 0 0 0)) (i32x4.ge_s (local.get $cv) (local.get $Wv)))))
                      (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                      (local.set $col (i32.add (local.get $col) (local.get $dW)))
                      (br_if $masked_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                    (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                    (br_if $masked_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))))
          (v128.store align=4 (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2))) (local.get $m))
          (local.set $ow (i32.add (local.get $g) (i32.const 4)))
          (br $ow_loop)))
        (local.set $o (i32.add (local.get $o) (local.get $outW)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $oh_loop)))
      (local.set $planeAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $planes_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Average pooling, NHWC, C >= 4 (groups as in max_nhwc). rowF/colF: f32 divisor factors.
  (func (export "avg_nhwc")
      (param $x i32) (param $out i32)
      (param $images i32) (param $C i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
      (param $rows i32) (param $cols i32) (param $rowF i32) (param $colF i32) (param $override f32)
    (local $img i32) (local $oh i32) (local $ow i32) (local $g i32) (local $lastG i32)
    (local $h0 i32) (local $hn i32) (local $w0 i32) (local $wn i32)
    (local $image i32) (local $first i32)
    (local $r i32) (local $c i32) (local $rowAddr i32) (local $addr i32)
    (local $rowStep i32) (local $colStep i32) (local $o i32) (local $t i32)
    (local $sum v128) (local $d v128)
    (local.set $lastG (i32.sub (local.get $C) (i32.const 4)))
    (local.set $colStep (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowStep (i32.shl (i32.mul (local.get $W) (local.get $C)) (i32.const 2)))
    (local.set $image (local.get $x))
    (block $images_done (loop $images_loop
      (br_if $images_done (i32.ge_u (local.get $img) (local.get $images)))
      (local.set $oh (i32.const 0))
      (block $oh_done (loop $oh_loop
        (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $t (i32.add (local.get $rows) (i32.shl (local.get $oh) (i32.const 3))))
        (local.set $h0 (i32.load (local.get $t)))
        (local.set $hn (i32.load offset=4 (local.get $t)))
        (local.set $ow (i32.const 0))
        (block $ow_done (loop $ow_loop
          (br_if $ow_done (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $t (i32.add (local.get $cols) (i32.shl (local.get $ow) (i32.const 3))))
          (local.set $w0 (i32.load (local.get $t)))
          (local.set $wn (i32.load offset=4 (local.get $t)))
          (local.set $d (f32x4.splat (call $divisor (local.get $override) (local.get $rowF) (local.get $colF) (local.get $oh) (local.get $ow))))
          (local.set $first (i32.add (local.get $image)
            (i32.shl (i32.mul (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)) (local.get $C)) (i32.const 2))))
          (local.set $g (i32.const 0))
          (loop $groups
            (local.set $sum (v128.const i32x4 0 0 0 0))
            (if (i32.and (i32.ne (local.get $hn) (i32.const 0)) (i32.ne (local.get $wn) (i32.const 0)))
              (then
                (local.set $rowAddr (i32.add (local.get $first) (i32.shl (local.get $g) (i32.const 2))))
                (local.set $r (i32.const 0))
                (loop $rows_loop
                  (local.set $addr (local.get $rowAddr))
                  (local.set $c (i32.const 0))
                  (loop $cols_loop
                    (local.set $sum (f32x4.add (local.get $sum) (v128.load align=4 (local.get $addr))))
                    (local.set $addr (i32.add (local.get $addr) (local.get $colStep)))
                    (br_if $cols_loop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
                  (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                  (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))
            (v128.store align=4
              (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2)))
              (call $quotient4 (local.get $sum) (local.get $d)))
            (if (i32.lt_u (local.get $g) (local.get $lastG))
              (then
                (local.set $g (i32.add (local.get $g) (i32.const 4)))
                (if (i32.gt_u (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))
                (br $groups))))
          (local.set $o (i32.add (local.get $o) (local.get $C)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $ow_loop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $oh_loop)))
      (local.set $image (i32.add (local.get $image)
        (i32.shl (i32.mul (i32.mul (local.get $H) (local.get $W)) (local.get $C)) (i32.const 2))))
      (local.set $img (i32.add (local.get $img) (i32.const 1)))
      (br $images_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Average pooling, NCHW, four neighbouring outputs of a row at a time (the last group starts at
  ;; outW - 4). Groups inside [lo, hi), whose column taps are all real, sum their real taps; border
  ;; groups sum every column tap with the lanes' out-of-range taps masked to +0, which leaves an f32
  ;; sum from +0 unchanged, so both give the scalar scan's sums. Rows under 4 outputs: scalar.
  (func (export "avg_nchw")
      (param $x i32) (param $out i32)
      (param $planes i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
      (param $rows i32) (param $cols i32) (param $rowF i32) (param $colF i32) (param $override f32)
      (param $sW i32) (param $kW i32) (param $padLeft i32) (param $lo i32) (param $hi i32)
    (local $plane i32) (local $oh i32) (local $ow i32) (local $g i32) (local $lastG i32)
    (local $h0 i32) (local $hn i32) (local $ws i32) (local $col i32)
    (local $planeAddr i32) (local $rowAddr i32) (local $o i32) (local $t i32)
    (local $r i32) (local $c i32) (local $a i32) (local $sW4 i32)
    (local $sum v128) (local $v v128) (local $laneStep v128) (local $Wv v128) (local $cv v128) (local $rowFactor f32)
    (local.set $lastG (i32.sub (local.get $outW) (i32.const 4)))
    (local.set $sW4 (i32.shl (local.get $sW) (i32.const 2)))
    (local.set $laneStep (i32x4.mul (i32x4.splat (local.get $sW)) (v128.const i32x4 0 1 2 3)))
    (local.set $Wv (i32x4.splat (local.get $W)))
    (local.set $planeAddr (local.get $x))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $plane) (local.get $planes)))
      (local.set $oh (i32.const 0))
      (block $oh_done (loop $oh_loop
        (br_if $oh_done (i32.ge_u (local.get $oh) (local.get $outH)))
        (local.set $t (i32.add (local.get $rows) (i32.shl (local.get $oh) (i32.const 3))))
        (local.set $h0 (i32.load (local.get $t)))
        (local.set $hn (i32.load offset=4 (local.get $t)))
        (local.set $rowFactor (f32.load (i32.add (local.get $rowF) (i32.shl (local.get $oh) (i32.const 2)))))
        (local.set $ow (i32.const 0))
        (block $ow_done (loop $ow_loop
          (br_if $ow_done (i32.ge_u (local.get $ow) (local.get $outW)))
          (if (i32.ge_s (local.get $lastG) (i32.const 0))
            (then
              (local.set $g (local.get $ow))
              (if (i32.gt_s (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))
              (local.set $ws (i32.sub (i32.mul (local.get $g) (local.get $sW)) (local.get $padLeft)))
              (local.set $sum (v128.const i32x4 0 0 0 0))
              (local.set $rowAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $h0) (local.get $W)) (i32.const 2))))
              (local.set $r (i32.const 0))
              (if (i32.ne (local.get $hn) (i32.const 0))
                (then
                  (if (i32.and (i32.ge_s (local.get $g) (local.get $lo)) (i32.le_s (i32.add (local.get $g) (i32.const 4)) (local.get $hi)))
                    (then
                      (loop $rows_loop
                        (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                        (local.set $c (i32.const 0))
                        (loop $cols_loop
                          (local.set $sum (f32x4.add (local.get $sum) (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                                    (then (v128.load align=4 (local.get $a)))
                                    (else (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
                                      (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                        (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                                      (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                                        (f32x4.splat (f32.load (local.get $a)))
                                        (f32.load (i32.add (local.get $a) (local.get $sW4))))
                                        (f32.load (i32.add (local.get $a) (i32.shl (local.get $sW4) (i32.const 1)))))
                                        (f32.load (i32.add (local.get $a) (i32.mul (local.get $sW4) (i32.const 3)))))))))))
                          (local.set $a (i32.add (local.get $a) (i32.const 4)))
                          (br_if $cols_loop (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                        (local.set $rowAddr (i32.add (local.get $rowAddr) (i32.shl (local.get $W) (i32.const 2))))
                        (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))
                    (else
                      (loop $masked_rows
                        (local.set $c (i32.const 0))
                        (local.set $col (local.get $ws))
                        (loop $masked_cols
                          (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $col) (i32.const 2))))
                          (local.set $cv (i32x4.add (i32x4.splat (local.get $col)) (local.get $laneStep)))
                          (local.set $v (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                                    (then (v128.load align=4 (local.get $a)))
                                    (else (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
                                      (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                        (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                                      (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                                        (f32x4.splat (f32.load (local.get $a)))
                                        (f32.load (i32.add (local.get $a) (local.get $sW4))))
                                        (f32.load (i32.add (local.get $a) (i32.shl (local.get $sW4) (i32.const 1)))))
                                        (f32.load (i32.add (local.get $a) (i32.mul (local.get $sW4) (i32.const 3))))))))))
                          (local.set $sum (f32x4.add (local.get $sum) (v128.andnot (local.get $v)
                            (v128.or (i32x4.lt_s (local.get $cv) (v128.const i32x4 0 0 0 0)) (i32x4.ge_s (local.get $cv) (local.get $Wv))))))
                          (local.set $col (i32.add (local.get $col) (i32.const 1)))
                          (br_if $masked_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                        (local.set $rowAddr (i32.add (local.get $rowAddr) (i32.shl (local.get $W) (i32.const 2))))
                        (br_if $masked_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))))
              (v128.store align=4
                (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2)))
                (call $quotient4 (local.get $sum)
                  (if (result v128) (f32.ne (local.get $override) (f32.const 0))
                    (then (f32x4.splat (local.get $override)))
                    (else (f32x4.mul (f32x4.splat (local.get $rowFactor))
                      (v128.load align=4 (i32.add (local.get $colF) (i32.shl (local.get $g) (i32.const 2)))))))))
              (local.set $ow (i32.add (local.get $g) (i32.const 4))))
            (else
              (local.set $t (i32.add (local.get $cols) (i32.shl (local.get $ow) (i32.const 3))))
              (f32.store
                (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $ow)) (i32.const 2)))
                (call $quotient
                  (call $sum_window (local.get $planeAddr) (local.get $W)
                    (local.get $h0) (local.get $hn) (i32.load (local.get $t)) (i32.load offset=4 (local.get $t)))
                  (call $divisor (local.get $override) (local.get $rowF) (local.get $colF) (local.get $oh) (local.get $ow))))
              (local.set $ow (i32.add (local.get $ow) (i32.const 1)))))
          (br $ow_loop)))
        (local.set $o (i32.add (local.get $o) (local.get $outW)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $oh_loop)))
      (local.set $planeAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $planes_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Global max, NHWC, C % 4 == 0: pixels in order, channels four at a time, the running winners
  ;; kept in out/idx (a pixel's C channels are contiguous, so every line of x is read once).
  (func (export "global_max_nhwc")
      (param $x i32) (param $out i32) (param $idx i32) (param $N i32) (param $C i32) (param $HW i32)
    (local $n i32) (local $p i32) (local $g i32) (local $src i32) (local $o i32) (local $i i32) (local $bytes i32)
    (local $v v128) (local $m v128) (local $take v128) (local $pix v128)
    (local.set $bytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $src (local.get $x))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $o (i32.mul (local.get $n) (local.get $bytes)))
      (memory.copy (i32.add (local.get $out) (local.get $o)) (local.get $src) (local.get $bytes))
      (memory.fill (i32.add (local.get $idx) (local.get $o)) (i32.const 0) (local.get $bytes))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $p (i32.const 1))
      (block $p_done (loop $p_loop
        (br_if $p_done (i32.ge_u (local.get $p) (local.get $HW)))
        (local.set $pix (i32x4.splat (local.get $p)))
        (local.set $g (i32.const 0))
        (loop $g_loop
          (local.set $i (i32.add (local.get $o) (local.get $g)))
          (local.set $v (v128.load align=4 (i32.add (local.get $src) (local.get $g))))
          (local.set $m (v128.load align=4 (i32.add (local.get $out) (local.get $i))))
          (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
          (v128.store align=4 (i32.add (local.get $out) (local.get $i)) (v128.bitselect (local.get $v) (local.get $m) (local.get $take)))
          (v128.store align=4 (i32.add (local.get $idx) (local.get $i))
            (v128.bitselect (local.get $pix) (v128.load align=4 (i32.add (local.get $idx) (local.get $i))) (local.get $take)))
          (br_if $g_loop (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 16))) (local.get $bytes))))
        (local.set $src (i32.add (local.get $src) (local.get $bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $p_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Global max, NCHW: each plane scanned four elements at a time; lane j holds the winner among
  ;; the elements j mod 4, and the lanes then combine ($combine) before the tail elements continue
  ;; the reference's scan. The winner of a set of elements is its last NaN, else its first element
  ;; equal to its maximum, so combining two sets' winners picks the later NaN, else the greater
  ;; value, else (equal values) the earlier index: the reference's winner of the union.
  (func (export "global_max_nchw") (param $x i32) (param $out i32) (param $idx i32) (param $planes i32) (param $HW i32)
    (local $plane i32) (local $base i32) (local $i i32) (local $end i32)
    (local $m v128) (local $id v128) (local $cur v128) (local $v v128) (local $take v128)
    (local $bm f32) (local $bi i32) (local $f f32) (local $t i32)
    (local.set $base (local.get $x))
    (local.set $end (i32.and (local.get $HW) (i32.const -4)))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $plane) (local.get $planes)))
      (local.set $bm (f32.load (local.get $base)))
      (local.set $bi (i32.const 0))
      (local.set $i (i32.const 1))
      (if (i32.ge_u (local.get $HW) (i32.const 8))
        (then
          (local.set $m (v128.load align=4 (local.get $base)))
          (local.set $id (v128.const i32x4 0 1 2 3))
          (local.set $cur (v128.const i32x4 4 5 6 7))
          (local.set $i (i32.const 4))
          (loop $scan
            (local.set $v (v128.load align=4 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
            (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $take)))
            (local.set $id (v128.bitselect (local.get $cur) (local.get $id) (local.get $take)))
            (local.set $cur (i32x4.add (local.get $cur) (v128.const i32x4 4 4 4 4)))
            (br_if $scan (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $end))))
          (local.set $bm (f32x4.extract_lane 0 (local.get $m)))
          (local.set $bi (i32x4.extract_lane 0 (local.get $id)))
          (call $combine (local.get $bm) (local.get $bi) (f32x4.extract_lane 1 (local.get $m)) (i32x4.extract_lane 1 (local.get $id)))
          (local.set $bi) (local.set $bm)
          (call $combine (local.get $bm) (local.get $bi) (f32x4.extract_lane 2 (local.get $m)) (i32x4.extract_lane 2 (local.get $id)))
          (local.set $bi) (local.set $bm)
          (call $combine (local.get $bm) (local.get $bi) (f32x4.extract_lane 3 (local.get $m)) (i32x4.extract_lane 3 (local.get $id)))
          (local.set $bi) (local.set $bm)))
      ;; the tail (or the whole of a plane under 8 elements): the reference's scan
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $HW)))
        (local.set $f (f32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $t (i32.or (f32.gt (local.get $f) (local.get $bm)) (f32.ne (local.get $f) (local.get $f))))
        (local.set $bm (select (local.get $f) (local.get $bm) (local.get $t)))
        (local.set $bi (select (local.get $i) (local.get $bi) (local.get $t)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $plane) (i32.const 2))) (local.get $bm))
      (i32.store (i32.add (local.get $idx) (i32.shl (local.get $plane) (i32.const 2))) (local.get $bi))
      (local.set $base (i32.add (local.get $base) (i32.shl (local.get $HW) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $planes_loop))))

  ;; The winner of the union of two disjoint sets of elements, from each set's winner.
  (func $combine (param $am f32) (param $ai i32) (param $bm f32) (param $bi i32) (result f32 i32)
    (local $aNaN i32) (local $bNaN i32) (local $takeB i32)
    (local.set $aNaN (f32.ne (local.get $am) (local.get $am)))
    (local.set $bNaN (f32.ne (local.get $bm) (local.get $bm)))
    (if (i32.or (local.get $aNaN) (local.get $bNaN))
      (then (local.set $takeB (i32.and (local.get $bNaN)
        (i32.or (i32.eqz (local.get $aNaN)) (i32.gt_s (local.get $bi) (local.get $ai))))))
      (else (local.set $takeB (i32.or (f32.gt (local.get $bm) (local.get $am))
        (i32.and (f32.eq (local.get $bm) (local.get $am)) (i32.lt_s (local.get $bi) (local.get $ai)))))))
    (select (local.get $bm) (local.get $am) (local.get $takeB))
    (select (local.get $bi) (local.get $ai) (local.get $takeB)))

  ;; ---------------------------------------------------------------------------------------------
  ;; Global average, NCHW: four f64 running sums over each plane (lanes i mod 4, as two f64x2), the
  ;; tail added to the first, combined as (s0 + s1) + (s2 + s3): the JavaScript kernel's sums and
  ;; order (global-pool.ts), so both give the same bits.
  (func (export "global_avg_nchw") (param $x i32) (param $out i32) (param $planes i32) (param $HW i32)
    (local $plane i32) (local $base i32) (local $i i32) (local $end i32)
    (local $lo v128) (local $hi v128) (local $v v128) (local $s0 f64) (local $count f64)
    (local.set $count (f64.convert_i32_u (local.get $HW)))
    (local.set $end (i32.and (local.get $HW) (i32.const -4)))
    (local.set $base (local.get $x))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $plane) (local.get $planes)))
      (local.set $lo (v128.const i32x4 0 0 0 0))
      (local.set $hi (v128.const i32x4 0 0 0 0))
      (local.set $i (i32.const 0))
      (block $scan_done (loop $scan
        (br_if $scan_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load align=4 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $scan)))
      (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $HW)))
        (local.set $s0 (f64.add (local.get $s0)
          (f64.promote_f32 (f32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $plane) (i32.const 2)))
        (f32.demote_f64 (f64.div
          (f64.add
            (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $lo)))
            (f64.add (f64x2.extract_lane 0 (local.get $hi)) (f64x2.extract_lane 1 (local.get $hi))))
          (local.get $count))))
      (local.set $base (i32.add (local.get $base) (i32.shl (local.get $HW) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $planes_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Global average, NHWC, C % 4 == 0: f64 sums per channel in the reference's order (pixels in
  ;; order, from +0), kept in `sums` (C f64), then divided by H·W and rounded once.
  (func (export "global_avg_nhwc") (param $x i32) (param $out i32) (param $sums i32) (param $N i32) (param $C i32) (param $HW i32)
    (local $n i32) (local $p i32) (local $g i32) (local $src i32) (local $bytes i32) (local $s i32)
    (local $v v128) (local $count f64)
    (local.set $bytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $count (f64.convert_i32_u (local.get $HW)))
    (local.set $src (local.get $x))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
      (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $C) (i32.const 3)))
      (local.set $p (i32.const 0))
      (block $p_done (loop $p_loop
        (br_if $p_done (i32.ge_u (local.get $p) (local.get $HW)))
        (local.set $g (i32.const 0))
        (local.set $s (local.get $sums))
        (loop $g_loop
          (local.set $v (v128.load align=4 (i32.add (local.get $src) (local.get $g))))
          (v128.store align=8 (local.get $s)
            (f64x2.add (v128.load align=8 (local.get $s)) (f64x2.promote_low_f32x4 (local.get $v))))
          (v128.store offset=16 align=8 (local.get $s)
            (f64x2.add (v128.load offset=16 align=8 (local.get $s)) (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
          (local.set $s (i32.add (local.get $s) (i32.const 32)))
          (br_if $g_loop (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 16))) (local.get $bytes))))
        (local.set $src (i32.add (local.get $src) (local.get $bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $p_loop)))
      (local.set $g (i32.const 0))
      (block $div_done (loop $div
        (br_if $div_done (i32.ge_u (local.get $g) (local.get $C)))
        (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $g)) (i32.const 2)))
          (f32.demote_f64 (f64.div (f64.load (i32.add (local.get $sums) (i32.shl (local.get $g) (i32.const 3)))) (local.get $count))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $div)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))
)

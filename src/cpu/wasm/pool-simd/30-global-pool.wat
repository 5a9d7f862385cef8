;; Global max and average pooling: NHWC and NCHW.
;; A fragment of pool-simd (see 00-module.wat).

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
  ;; Global average sums, NCHW: four f64 running sums over a run of a plane's elements (lanes
  ;; i mod 4, as two f64x2 at sums and sums + 16), the tail of a run whose length is not a multiple
  ;; of 4 added to the first lane; the mean is (s0 + s1) + (s2 + s3) over the plane's size. The
  ;; JavaScript kernel's sums and order (global-pool.ts), so both give the same bits. The sums
  ;; accumulate: the CPU backend's slices of one large plane (src/host/cpu-chunks.ts) add their runs
  ;; of whole groups of four in turn, the last run its tail, in the order of one whole-plane call.
  (func $global_sum_nchw (export "global_sum_nchw") (param $x i32) (param $sums i32) (param $n i32)
    (local $i i32) (local $end i32) (local $lo v128) (local $hi v128) (local $v v128) (local $s0 f64)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (local.set $lo (v128.load align=8 (local.get $sums)))
    (local.set $hi (v128.load offset=16 align=8 (local.get $sums)))
    (block $scan_done (loop $scan
      (br_if $scan_done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
      (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $scan)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
    (block $tail_done (loop $tail
      (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s0 (f64.add (local.get $s0)
        (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
    (v128.store align=8 (local.get $sums) (f64x2.replace_lane 0 (local.get $lo) (local.get $s0)))
    (v128.store offset=16 align=8 (local.get $sums) (local.get $hi)))

  ;; Global average, NCHW: each plane's four sums ($global_sum_nchw) from zero, in `sums` (32 bytes).
  (func (export "global_avg_nchw") (param $x i32) (param $out i32) (param $sums i32) (param $planes i32) (param $HW i32)
    (local $plane i32) (local $base i32) (local $count f64)
    (local.set $count (f64.convert_i32_u (local.get $HW)))
    (local.set $base (local.get $x))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $plane) (local.get $planes)))
      (v128.store align=8 (local.get $sums) (v128.const i32x4 0 0 0 0))
      (v128.store offset=16 align=8 (local.get $sums) (v128.const i32x4 0 0 0 0))
      (call $global_sum_nchw (local.get $base) (local.get $sums) (local.get $HW))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $plane) (i32.const 2)))
        (f32.demote_f64 (f64.div
          (f64.add
            (f64.add (f64.load (local.get $sums)) (f64.load offset=8 (local.get $sums)))
            (f64.add (f64.load offset=16 (local.get $sums)) (f64.load offset=24 (local.get $sums))))
          (local.get $count))))
      (local.set $base (i32.add (local.get $base) (i32.shl (local.get $HW) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $planes_loop))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Global average sums, NHWC, C % 4 == 0: adds HW pixels into `sums` (C f64), per channel in the
  ;; reference's order (pixels in order). Accumulates, like $global_sum_nchw.
  (func $global_sum_nhwc (export "global_sum_nhwc") (param $x i32) (param $sums i32) (param $C i32) (param $HW i32)
    (local $p i32) (local $g i32) (local $src i32) (local $bytes i32) (local $s i32) (local $v v128)
    (local.set $bytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $src (local.get $x))
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
      (br $p_loop))))

  ;; Global average, NHWC, C % 4 == 0: each image's sums ($global_sum_nhwc) from zero in `sums`
  ;; (C f64), then divided by H·W and rounded once.
  (func (export "global_avg_nhwc") (param $x i32) (param $out i32) (param $sums i32) (param $N i32) (param $C i32) (param $HW i32)
    (local $n i32) (local $g i32) (local $src i32) (local $count f64)
    (local.set $count (f64.convert_i32_u (local.get $HW)))
    (local.set $src (local.get $x))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
      (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $C) (i32.const 3)))
      (call $global_sum_nhwc (local.get $src) (local.get $sums) (local.get $C) (local.get $HW))
      (local.set $src (i32.add (local.get $src) (i32.mul (local.get $HW) (i32.shl (local.get $C) (i32.const 2)))))
      (local.set $g (i32.const 0))
      (block $div_done (loop $div
        (br_if $div_done (i32.ge_u (local.get $g) (local.get $C)))
        (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $g)) (i32.const 2)))
          (f32.demote_f64 (f64.div (f64.load (i32.add (local.get $sums) (i32.shl (local.get $g) (i32.const 3)))) (local.get $count))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $div)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

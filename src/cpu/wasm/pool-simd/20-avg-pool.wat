;; Average pooling forward: NHWC and NCHW.
;; A fragment of pool-simd (see 00-module.wat).

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
    (local $sum v128) (local $d v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
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
          ;; Sixteen channels at a time first (as in max_nhwc): four sums share one walk of the taps.
          (block $wide_done (loop $wide
            (br_if $wide_done (i32.gt_u (i32.add (local.get $g) (i32.const 16)) (local.get $C)))
            (local.set $sum (v128.const i32x4 0 0 0 0))
            (local.set $s1 (v128.const i32x4 0 0 0 0))
            (local.set $s2 (v128.const i32x4 0 0 0 0))
            (local.set $s3 (v128.const i32x4 0 0 0 0))
            (if (i32.and (i32.ne (local.get $hn) (i32.const 0)) (i32.ne (local.get $wn) (i32.const 0)))
              (then
                (local.set $rowAddr (i32.add (local.get $first) (i32.shl (local.get $g) (i32.const 2))))
                (local.set $r (i32.const 0))
                (loop $wide_rows
                  (local.set $addr (local.get $rowAddr))
                  (local.set $c (i32.const 0))
                  (loop $wide_cols
                    (local.set $sum (f32x4.add (local.get $sum) (v128.load offset=0 align=4 (local.get $addr))))
                    (local.set $s1 (f32x4.add (local.get $s1) (v128.load offset=16 align=4 (local.get $addr))))
                    (local.set $s2 (f32x4.add (local.get $s2) (v128.load offset=32 align=4 (local.get $addr))))
                    (local.set $s3 (f32x4.add (local.get $s3) (v128.load offset=48 align=4 (local.get $addr))))
                    (local.set $addr (i32.add (local.get $addr) (local.get $colStep)))
                    (br_if $wide_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
                  (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                  (br_if $wide_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))
            (local.set $t (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2))))
            (v128.store align=4 (local.get $t) (call $quotient4 (local.get $sum) (local.get $d)))
            (v128.store offset=16 align=4 (local.get $t) (call $quotient4 (local.get $s1) (local.get $d)))
            (v128.store offset=32 align=4 (local.get $t) (call $quotient4 (local.get $s2) (local.get $d)))
            (v128.store offset=48 align=4 (local.get $t) (call $quotient4 (local.get $s3) (local.get $d)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (br $wide)))
          ;; The rest in groups of four, the last one ending at C (it may redo channels).
          (if (i32.gt_u (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))
          (if (i32.lt_u (local.get $g) (local.get $C)) (then
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
    (local $sum1 v128)
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
          ;; Eight outputs at once (two groups) inside [lo, hi) at stride 1 or 2, as in max_nchw_values.
          (if (i32.and (i32.and (i32.ne (local.get $hn) (i32.const 0)) (i32.le_u (local.get $sW) (i32.const 2)))
                (i32.and (i32.ge_s (local.get $ow) (local.get $lo)) (i32.le_s (i32.add (local.get $ow) (i32.const 8)) (local.get $hi))))
            (then
              (local.set $ws (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $padLeft)))
              (local.set $sum (v128.const i32x4 0 0 0 0))
              (local.set $sum1 (v128.const i32x4 0 0 0 0))
              (local.set $rowAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $h0) (local.get $W)) (i32.const 2))))
              (local.set $r (i32.const 0))
              (if (i32.eq (local.get $sW) (i32.const 1))
                (then
                  (loop $w1_rows
                    (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                    (local.set $c (i32.const 0))
                    (loop $w1_cols
                      (local.set $sum (f32x4.add (local.get $sum) (v128.load align=4 (local.get $a))))
                      (local.set $sum1 (f32x4.add (local.get $sum1) (v128.load offset=16 align=4 (local.get $a))))
                      (local.set $a (i32.add (local.get $a) (i32.const 4)))
                      (br_if $w1_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                    (local.set $rowAddr (i32.add (local.get $rowAddr) (i32.shl (local.get $W) (i32.const 2))))
                    (br_if $w1_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))
                (else
                  (loop $w2_rows
                    (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                    (local.set $c (i32.const 0))
                    (loop $w2_cols
                      (local.set $sum (f32x4.add (local.get $sum) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                        (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a)))))
                      (local.set $sum1 (f32x4.add (local.get $sum1) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                        (v128.load offset=32 align=4 (local.get $a)) (v128.load offset=48 align=4 (local.get $a)))))
                      (local.set $a (i32.add (local.get $a) (i32.const 4)))
                      (br_if $w2_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                    (local.set $rowAddr (i32.add (local.get $rowAddr) (i32.shl (local.get $W) (i32.const 2))))
                    (br_if $w2_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))
              (local.set $t (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $ow)) (i32.const 2))))
              (v128.store align=4 (local.get $t) (call $quotient4 (local.get $sum)
                (if (result v128) (f32.ne (local.get $override) (f32.const 0))
                  (then (f32x4.splat (local.get $override)))
                  (else (f32x4.mul (f32x4.splat (local.get $rowFactor))
                    (v128.load offset=0 align=4 (i32.add (local.get $colF) (i32.shl (local.get $ow) (i32.const 2)))))))))
              (v128.store offset=16 align=4 (local.get $t) (call $quotient4 (local.get $sum1)
                (if (result v128) (f32.ne (local.get $override) (f32.const 0))
                  (then (f32x4.splat (local.get $override)))
                  (else (f32x4.mul (f32x4.splat (local.get $rowFactor))
                    (v128.load offset=16 align=4 (i32.add (local.get $colF) (i32.shl (local.get $ow) (i32.const 2)))))))))
              (local.set $ow (i32.add (local.get $ow) (i32.const 8)))
              (br $ow_loop)))
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

;; Max pooling forward: NHWC, NCHW with indices, NCHW values only.
;; A fragment of pool-simd (see 00-module.wat).

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
    (local $m1 v128) (local $m2 v128) (local $m3 v128)
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
              ;; Without indices, sixteen channels at a time first: four vectors share one walk of
              ;; the taps, so the loop counters and their mispredicted exits cost a quarter as much.
              (if (i32.eqz (local.get $withIdx))
                (then
                  (block $wide_done (loop $wide
                    (br_if $wide_done (i32.gt_u (i32.add (local.get $g) (i32.const 16)) (local.get $C)))
                    (local.set $rowAddr (i32.add (local.get $first) (i32.shl (local.get $g) (i32.const 2))))
                    (local.set $m (v128.load align=4 (local.get $rowAddr)))
                    (local.set $m1 (v128.load offset=16 align=4 (local.get $rowAddr)))
                    (local.set $m2 (v128.load offset=32 align=4 (local.get $rowAddr)))
                    (local.set $m3 (v128.load offset=48 align=4 (local.get $rowAddr)))
                    (local.set $r (i32.const 0))
                    (loop $wide_rows
                      (local.set $addr (local.get $rowAddr))
                      (local.set $c (i32.const 0))
                      (loop $wide_cols
                        (local.set $v (v128.load offset=0 align=4 (local.get $addr)))
                        (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                        (local.set $v (v128.load offset=16 align=4 (local.get $addr)))
                        (local.set $m1 (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m1) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                        (local.set $v (v128.load offset=32 align=4 (local.get $addr)))
                        (local.set $m2 (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m2) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                        (local.set $v (v128.load offset=48 align=4 (local.get $addr)))
                        (local.set $m3 (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m3) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                        (local.set $addr (i32.add (local.get $addr) (local.get $colStep)))
                        (br_if $wide_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $wn))))
                      (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                      (br_if $wide_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))
                    (local.set $t (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $g)) (i32.const 2))))
                    (v128.store align=4 (local.get $t) (local.get $m))
                    (v128.store offset=16 align=4 (local.get $t) (local.get $m1))
                    (v128.store offset=32 align=4 (local.get $t) (local.get $m2))
                    (v128.store offset=48 align=4 (local.get $t) (local.get $m3))
                    (local.set $g (i32.add (local.get $g) (i32.const 16)))
                    (br $wide)))
                  ;; The rest in groups of four, the last one ending at C (it may redo channels).
                  (if (i32.gt_u (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))))
              (if (i32.lt_u (local.get $g) (local.get $C)) (then
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
                    (br $groups))))))))
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
  ;; Max pooling with indices, NCHW: four neighbouring outputs of a row at a time, the last group
  ;; starting at outW - 4. Interior groups (inside [lo, hi)) scan their real taps. Border groups scan
  ;; every column tap of the real rows, a lane taking a tap only where it is inside the input, and
  ;; its first real tap unconditionally (the `found` lanes), which is the reference's scan of the real
  ;; taps; a lane without a real tap keeps -inf and index -1. Rows under 4 outputs: scalar scans.
  (func (export "max_nchw")
      (param $x i32) (param $out i32) (param $idx i32) (param $withIdx i32)
      (param $planes i32) (param $H i32) (param $W i32) (param $outH i32) (param $outW i32)
      (param $rows i32) (param $cols i32) (param $dH i32) (param $dW i32) (param $sW i32)
      (param $kW i32) (param $padLeft i32) (param $lo i32) (param $hi i32)
    (local $plane i32) (local $oh i32) (local $ow i32) (local $g i32) (local $lastG i32)
    (local $h0 i32) (local $hn i32) (local $w0 i32) (local $wn i32) (local $ws i32) (local $col i32)
    (local $planeAddr i32) (local $rowIdx i32) (local $o i32) (local $t i32)
    (local $r i32) (local $c i32) (local $tap i32) (local $rowIdxStep i32) (local $a i32) (local $sW4 i32)
    (local $m v128) (local $id v128) (local $v v128) (local $take v128) (local $laneStep v128)
    (local $Wv v128) (local $cv v128) (local $inside v128) (local $found v128)
    (local $sm f32) (local $sid i32)
    (local.set $lastG (i32.sub (local.get $outW) (i32.const 4)))
    (local.set $laneStep (i32x4.mul (i32x4.splat (local.get $sW)) (v128.const i32x4 0 1 2 3)))
    (local.set $sW4 (i32.shl (local.get $sW) (i32.const 2)))
    (local.set $Wv (i32x4.splat (local.get $W)))
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
          (if (i32.ge_s (local.get $lastG) (i32.const 0))
            (then
              (local.set $g (local.get $ow))
              (if (i32.gt_s (local.get $g) (local.get $lastG)) (then (local.set $g (local.get $lastG))))
              (local.set $r (i32.const 0))
              (if (i32.and (i32.and (i32.ge_s (local.get $g) (local.get $lo)) (i32.le_s (i32.add (local.get $g) (i32.const 4)) (local.get $hi)))
                           (i32.ne (local.get $hn) (i32.const 0)))
                (then
                  (local.set $t (i32.add (local.get $cols) (i32.shl (local.get $g) (i32.const 3))))
                  (local.set $w0 (i32.load (local.get $t)))
                  (local.set $wn (i32.load offset=4 (local.get $t)))
                  (local.set $rowIdx (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)))
                  (local.set $a (i32.add (local.get $planeAddr) (i32.shl (local.get $rowIdx) (i32.const 2))))
                  (local.set $m (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                              (then (v128.load align=4 (local.get $a)))
                              (else (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
                                (then (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                  (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                                (else (f32x4.replace_lane 3 (f32x4.replace_lane 2 (f32x4.replace_lane 1
                                  (f32x4.splat (f32.load (local.get $a)))
                                  (f32.load (i32.add (local.get $a) (local.get $sW4))))
                                  (f32.load (i32.add (local.get $a) (i32.shl (local.get $sW4) (i32.const 1)))))
                                  (f32.load (i32.add (local.get $a) (i32.mul (local.get $sW4) (i32.const 3))))))))))
                  (local.set $id (i32x4.add (i32x4.splat (local.get $rowIdx)) (local.get $laneStep)))
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
                    (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))
                (else
                  (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
                  (local.set $id (v128.const i32x4 -1 -1 -1 -1))
                  (local.set $found (v128.const i32x4 0 0 0 0))
                  (local.set $ws (i32.sub (i32.mul (local.get $g) (local.get $sW)) (local.get $padLeft)))
                  (local.set $rowIdx (i32.mul (local.get $h0) (local.get $W)))
                  (if (i32.ne (local.get $hn) (i32.const 0))
                    (then
                      (loop $masked_rows
                        (local.set $col (local.get $ws))
                        (local.set $c (i32.const 0))
                        (loop $masked_cols
                          (local.set $a (i32.add (local.get $planeAddr) (i32.shl (i32.add (local.get $rowIdx) (local.get $col)) (i32.const 2))))
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
                          (local.set $cv (i32x4.add (i32x4.splat (local.get $col)) (local.get $laneStep)))
                          (local.set $inside (v128.not (v128.or
                            (i32x4.lt_s (local.get $cv) (v128.const i32x4 0 0 0 0)) (i32x4.ge_s (local.get $cv) (local.get $Wv)))))
                          (local.set $take (v128.and (local.get $inside) (v128.or (v128.not (local.get $found))
                            (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))))
                          (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $take)))
                          (local.set $id (v128.bitselect
                            (i32x4.add (i32x4.splat (local.get $rowIdx)) (local.get $cv)) (local.get $id) (local.get $take)))
                          (local.set $found (v128.or (local.get $found) (local.get $inside)))
                          (local.set $col (i32.add (local.get $col) (local.get $dW)))
                          (br_if $masked_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                        (local.set $rowIdx (i32.add (local.get $rowIdx) (local.get $rowIdxStep)))
                        (br_if $masked_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))))
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
    (local $m1 v128) (local $v1 v128)
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
          ;; Eight outputs at once (two groups) where both are inside [lo, hi) at stride 1 or 2: one
          ;; walk of the taps serves both, which halves the loop counting and the stride tests.
          (if (i32.and (i32.and (i32.ne (local.get $hn) (i32.const 0)) (i32.le_u (local.get $sW) (i32.const 2)))
                (i32.and (i32.ge_s (local.get $ow) (local.get $lo)) (i32.le_s (i32.add (local.get $ow) (i32.const 8)) (local.get $hi))))
            (then
              (local.set $ws (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $padLeft)))
              (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
              (local.set $m1 (v128.const f32x4 -inf -inf -inf -inf))
              (local.set $rowAddr (i32.add (local.get $planeAddr) (i32.shl (i32.mul (local.get $h0) (local.get $W)) (i32.const 2))))
              (local.set $r (i32.const 0))
              (if (i32.eq (local.get $sW) (i32.const 1))
                (then
                  (loop $w1_rows
                    (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                    (local.set $c (i32.const 0))
                    (loop $w1_cols
                      (local.set $v (v128.load align=4 (local.get $a)))
                      (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                      (local.set $v1 (v128.load offset=16 align=4 (local.get $a)))
                      (local.set $m1 (v128.bitselect (local.get $v1) (f32x4.pmax (local.get $m1) (local.get $v1)) (f32x4.ne (local.get $v1) (local.get $v1))))
                      (local.set $a (i32.add (local.get $a) (local.get $dW4)))
                      (br_if $w1_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                    (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                    (br_if $w1_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn)))))
                (else
                  (loop $w2_rows
                    (local.set $a (i32.add (local.get $rowAddr) (i32.shl (local.get $ws) (i32.const 2))))
                    (local.set $c (i32.const 0))
                    (loop $w2_cols
                      (local.set $v (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                        (v128.load align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $a))))
                      (local.set $m (v128.bitselect (local.get $v) (f32x4.pmax (local.get $m) (local.get $v)) (f32x4.ne (local.get $v) (local.get $v))))
                      (local.set $v1 (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                        (v128.load offset=32 align=4 (local.get $a)) (v128.load offset=48 align=4 (local.get $a))))
                      (local.set $m1 (v128.bitselect (local.get $v1) (f32x4.pmax (local.get $m1) (local.get $v1)) (f32x4.ne (local.get $v1) (local.get $v1))))
                      (local.set $a (i32.add (local.get $a) (local.get $dW4)))
                      (br_if $w2_cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $kW))))
                    (local.set $rowAddr (i32.add (local.get $rowAddr) (local.get $rowStep)))
                    (br_if $w2_rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $hn))))))
              (local.set $t (i32.add (local.get $out) (i32.shl (i32.add (local.get $o) (local.get $ow)) (i32.const 2))))
              (v128.store align=4 (local.get $t) (local.get $m))
              (v128.store offset=16 align=4 (local.get $t) (local.get $m1))
              (local.set $ow (i32.add (local.get $ow) (i32.const 8)))
              (br $ow_loop)))
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

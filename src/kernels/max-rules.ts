/**
 * The windowed max kernels' pipeline constants for their two non-PyTorch rules (common.wgsl):
 * NAN_IGNORE (`nan: 'ignore'`) and EMPTY_MAX_BITS (`emptyValue`, as float32 bits). Each is set
 * only where asked for, so PyTorch's windows keep the pipelines (and cache entries) they had.
 */
export function maxRuleConstants(rule: { readonly ignoreNan?: boolean; readonly emptyValue?: number }): Record<string, number> {
  const constants: Record<string, number> = {};
  if (rule.ignoreNan) constants.NAN_IGNORE = 1;
  if (rule.emptyValue !== undefined && rule.emptyValue !== -Infinity) constants.EMPTY_MAX_BITS = new Uint32Array(Float32Array.of(rule.emptyValue).buffer)[0]!;
  return constants;
}

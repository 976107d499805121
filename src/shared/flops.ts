/** How a FLOP count reads wherever a plan is shown: the CLI's --plan line and the editor's job confirmation say the same. */
export function flopsText(flops: number): string {
  return flops >= 1e12 ? `${(flops / 1e12).toFixed(1)} TFLOP` : `${(flops / 1e9).toFixed(1)} GFLOP`;
}

import type { z } from 'zod';

/** Bounds must be ordered; models that divide by a bound need b^min < 0 < b^max. */
export function checkBounds(
  config: { wMin: number; wMax: number },
  ctx: z.RefinementCtx,
  options: { bracketZero: boolean },
): void {
  if (!(config.wMin < config.wMax)) {
    ctx.addIssue({ code: 'custom', path: ['wMin'], message: `must be < wMax (${config.wMax})`, input: config.wMin });
  }
  if (options.bracketZero) {
    if (!(config.wMin < 0)) ctx.addIssue({ code: 'custom', path: ['wMin'], message: 'must be < 0 for this model (the step divides by it)', input: config.wMin });
    if (!(config.wMax > 0)) ctx.addIssue({ code: 'custom', path: ['wMax'], message: 'must be > 0 for this model (the step divides by it)', input: config.wMax });
  }
}

import { defineCheck } from './define.js';
import { notApplicable } from './util.js';

/**
 * `declaration-consistent` compares the declarations of every source (registry, custom property,
 * topic, README badge). Only the evaluator (src/evaluate) has them, so it produces this finding
 * itself; this definition exists so the id is known, documented and parameter-checked. Its `run`
 * answers `not-applicable` and is never what the report shows.
 */
export const declarationConsistentCheck = defineCheck({
  id: 'declaration-consistent',
  title: 'Declarations agree',
  description:
    'Every source that declares a tier (registry, custom property, topic, README badge) declares the same one. Evaluated by the evaluator, which holds the declarations.',
  reads: [],
  run() {
    return notApplicable(
      'declaration consistency is evaluated by the evaluator, which compares the declarations',
    );
  },
});

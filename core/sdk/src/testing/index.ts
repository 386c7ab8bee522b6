// The connector conformance kit: `import { runConnectorConformance } from '@poshub/sdk/testing'`.
export { canonicalFixtures } from './canonical-fixtures.ts';
export type { ConformanceCheck, ConformanceOptions, InvalidConfig } from './conformance-options.ts';
export { runConnectorConformance } from './run-connector-conformance.ts';
export {
  type RecordedCall,
  startTestTarget,
  type TargetAnswer,
  type TestTarget,
  type TestTargetOptions,
} from './test-target.ts';

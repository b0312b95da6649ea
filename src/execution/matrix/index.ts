export { UNCOMPILABLE_TEST_POLICIES } from './matrix-engine.ts';
export type {
  MatrixEngine,
  MatrixCallOptions,
  MatrixRequest,
  MatrixResult,
  ProgramsRequest,
  ProgramsResult,
  ProgramOutcome,
  UncompilableTestPolicy,
} from './matrix-engine.ts';
export { createBatchMatrixEngine, type TimingWhatIf } from './batch-matrix-engine.ts';
export { acquireSharedMatrixEngine, type MatrixEngineLease } from './matrix-engine-lease.ts';

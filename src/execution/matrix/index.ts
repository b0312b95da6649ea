export { createBatchMatrixEngine, type TimingWhatIf } from './batch-matrix-engine.ts';
export type {
  CallOutcome,
  CallsRequest,
  CallsResult,
  MatrixCallOptions,
  MatrixEngine,
  MatrixRequest,
  MatrixResult,
  ProgramOutcome,
  ProgramsRequest,
  ProgramsResult,
  UncompilableTestPolicy,
} from './matrix-engine.ts';
export { UNCOMPILABLE_TEST_POLICIES } from './matrix-engine.ts';
export { acquireSharedMatrixEngine, type MatrixEngineLease } from './matrix-engine-lease.ts';

// Runs: run folders, TensorBoard event files, checkpoints, the training loop and reports.
export { RunDir, stepName, type MetricRecord, type SampleFile, type Split } from './run_dir.js';
export { EventWriter, type TbEvent, type SummaryValue, type ImageSummary } from './tensorboard.js';
export { readEventFile } from './tensorboard_reader.js';
export { saveCheckpoint, loadCheckpoint, latestCheckpoint, listCheckpoints, loadModuleWeights, emaState, type CheckpointState, type Stateful } from './checkpoint.js';
export { train, TrainingInterrupted, type TrainOptions, type TrainResult, type DataSource, type Scalars, type SampleImage } from './trainer.js';
export { createProgress, type Progress, type ProgressOptions } from './progress.js';
export { writeReport, renderReport } from './report.js';

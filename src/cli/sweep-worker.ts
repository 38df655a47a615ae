/** Worker of `aimsim sweep --jobs K`: runs one experiment config per message. */
import { parentPort } from 'node:worker_threads';
import { runExperiment } from '../experiment/run.js';
import { loadConfigDataset } from '../node/datasets.js';

parentPort!.on('message', async (message: { id: number; config: unknown }) => {
  try {
    const result = await runExperiment(message.config, { loadDataset: loadConfigDataset });
    parentPort!.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});

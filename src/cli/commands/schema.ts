import type { Command } from 'commander';
import { z } from 'zod';
import { experimentSchema } from '../../config/experiment.js';
import type { Output } from '../output.js';

export function registerSchemaCommand(program: Command, out: Output): void {
  program
    .command('schema')
    .description('print the JSON Schema of experiment files (for editors and validation)')
    .action(() => {
      out.stdout(JSON.stringify(z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' }), null, 2));
    });
}

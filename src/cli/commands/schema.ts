import type { Command } from 'commander';
import { experimentJsonSchema } from '../../config/json-schema.js';
import type { Output } from '../output.js';

export function registerSchemaCommand(program: Command, out: Output): void {
  program
    .command('schema')
    .description('print the JSON Schema of experiment files (for editors and validation; devices and algorithms as unions of their kinds)')
    .action(() => {
      out.stdout(JSON.stringify(experimentJsonSchema(), null, 2));
    });
}

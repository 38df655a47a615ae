/** Files the user takes to the CLI: a device or config as YAML, results as JSON. */
import { stringify } from 'yaml';

export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function toYaml(value: unknown, header: string[]): string {
  return `${header.map((line) => `# ${line}`).join('\n')}\n${stringify(value)}`;
}

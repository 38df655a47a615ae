/**
 * The YAML editor that holds a whole config (the CLI's format), and the drop zone for data files:
 * shared by the training and least-squares views.
 */
import { parse } from 'yaml';
import { toYaml } from './export.js';
import { element } from './schema-form.js';
import type { DroppedFile } from './protocol.js';

export type Config = Record<string, unknown>;

export class ConfigEditor {
  readonly root = element('div', { class: 'editor' });
  private readonly box: HTMLTextAreaElement;
  private readonly problem: HTMLElement;
  private readonly header: (config: Config) => string[];

  /** `onEdit` gets every config the user's text parses to; `header` writes the file's comment lines. */
  constructor(id: string, label: string, header: (config: Config) => string[], onEdit: (config: Config) => void) {
    this.header = header;
    this.box = element('textarea', { id, spellcheck: 'false', rows: '18', 'aria-describedby': `${id}-problem` });
    this.problem = element('p', { id: `${id}-problem`, class: 'problem', role: 'alert' });
    this.box.addEventListener('input', () => {
      try {
        const parsed = parse(this.box.value) as unknown;
        if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('the config must be a mapping of its sections');
        this.problem.textContent = '';
        onEdit((parsed ?? {}) as Config);
      } catch (error) {
        this.problem.textContent = `YAML: ${(error as Error).message.split('\n')[0]}`;
      }
    });
    this.root.append(element('label', { for: id }, label), this.box, this.problem);
  }

  /** Shows `config` (from the quick controls or the URL). */
  show(config: Config): void {
    this.box.value = this.yaml(config);
    this.problem.textContent = '';
  }

  yaml(config: Config): string {
    return toYaml(config, this.header(config));
  }
}

/** A drop zone with a file input (the keyboard's way in): `onFiles` gets the files' bytes. */
export function dropZone(id: string, label: string, empty: string, onFiles: (files: DroppedFile[]) => void): HTMLElement {
  const zone = element('div', { class: 'drop' });
  const input = element('input', { type: 'file', id, multiple: '' });
  const list = element('p', { class: 'files', id: `${id}-list` }, empty);
  const take = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const read = await Promise.all(Array.from(files).map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
    list.textContent = read.map((f) => `${f.name} (${(f.bytes.length / 1e6).toFixed(2)} MB)`).join(', ');
    onFiles(read);
  };
  input.addEventListener('change', () => void take(input.files));
  zone.addEventListener('dragover', (event) => event.preventDefault());
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    void take(event.dataTransfer?.files ?? null);
  });
  zone.append(element('label', { for: id }, label), input, list);
  return zone;
}

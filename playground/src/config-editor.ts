/**
 * The YAML editor that holds a whole config (the CLI's format), and the drop zone for data files:
 * shared by the training and least-squares views.
 */
import { parse } from 'yaml';
import type { Config } from './config.js';
import { element } from './dom.js';
import { toYaml } from './export.js';
import type { DroppedFile } from './protocol.js';

export class ConfigEditor {
  readonly root = element('div', { class: 'editor' });
  /** Why the text does not parse to a config, or null. */
  problem: string | null = null;
  private readonly box: HTMLTextAreaElement;
  private readonly line: HTMLElement;
  private readonly header: (config: Config) => string[];

  /**
   * `onEdit` gets every config the user's text parses to; `onValidity` hears whether the text is
   * a config now; `header` writes the file's comment lines.
   */
  constructor(id: string, label: string, header: (config: Config) => string[], onEdit: (config: Config) => void, onValidity: (valid: boolean) => void) {
    this.header = header;
    this.box = element('textarea', { id, spellcheck: 'false', rows: '18', 'aria-describedby': `${id}-problem` });
    this.line = element('p', { id: `${id}-problem`, class: 'problem', role: 'alert' });
    this.box.addEventListener('input', () => {
      const config = this.parse();
      onValidity(config !== null);
      if (config) onEdit(config);
    });
    this.root.append(element('label', { for: id }, label), this.box, this.line);
  }

  private parse(): Config | null {
    try {
      const parsed = parse(this.box.value) as unknown;
      if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('the config must be a mapping of its sections');
      this.setProblem(null);
      return (parsed ?? {}) as Config;
    } catch (error) {
      this.setProblem(`YAML: ${(error as Error).message.split('\n')[0]}`);
      return null;
    }
  }

  private setProblem(problem: string | null): void {
    this.problem = problem;
    this.line.textContent = problem ?? '';
  }

  /** Shows `config` (from the quick controls or the URL). */
  show(config: Config): void {
    this.box.value = this.yaml(config);
    this.setProblem(null);
  }

  yaml(config: Config): string {
    return toYaml(config, this.header(config));
  }
}

/**
 * A drop zone with a file input (the keyboard's way in). Files dropped in several goes add up (a
 * file of the same name replaces the earlier one); `onFiles` gets all of them.
 */
export function dropZone(id: string, label: string, empty: string, onFiles: (files: DroppedFile[]) => void): HTMLElement {
  const zone = element('div', { class: 'drop' });
  const input = element('input', { type: 'file', id, multiple: '' });
  const list = element('p', { class: 'files', id: `${id}-list` }, empty);
  const held = new Map<string, DroppedFile>();
  const take = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    for (const file of Array.from(files)) held.set(file.name, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    const all = [...held.values()];
    list.textContent = all.map((f) => `${f.name} (${(f.bytes.length / 1e6).toFixed(2)} MB)`).join(', ');
    onFiles(all);
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

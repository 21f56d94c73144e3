// The files a compile reads, and the one function that reads them from disk. Everything after this is pure.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface SourceFile {
  /** As shown to users, e.g. `playbooks/onboarding.yaml`. */
  path: string;
  text: string;
}

export interface PlaybookSources {
  /** The playbooks folder as shown to users, e.g. `playbooks`. */
  root: string;
  community: SourceFile | null;
  /** Every `*.yaml` (and, to be told to rename it, `*.yml`) file beside community.yaml. */
  playbooks: SourceFile[];
  templates: SourceFile[];
  layouts: SourceFile[];
  partials: SourceFile[];
}

export const COMMUNITY_FILE = 'community.yaml';

/** Reads a playbooks folder. Missing subfolders are empty; a missing folder is an error the caller reports. */
export async function readPlaybooksDir(dir: string): Promise<PlaybookSources> {
  const root = shownPath(dir);
  const read = async (folder: string, accept: (name: string) => boolean): Promise<SourceFile[]> => {
    const names = await fileNames(path.join(dir, folder), { optional: folder !== '' });
    const files = names.filter(accept).sort();
    return Promise.all(
      files.map(async (name) => ({
        path: path.posix.join(root, folder.split(path.sep).join('/'), name),
        text: await readFile(path.join(dir, folder, name), 'utf8'),
      })),
    );
  };
  const isHbs = (name: string): boolean => name.endsWith('.hbs');
  const topLevel = await read('', (name) => /\.ya?ml$/.test(name));
  return {
    root,
    community: topLevel.find((file) => path.posix.basename(file.path) === COMMUNITY_FILE) ?? null,
    playbooks: topLevel.filter((file) => path.posix.basename(file.path) !== COMMUNITY_FILE),
    templates: await read('templates', isHbs),
    layouts: await read(path.join('templates', 'layouts'), isHbs),
    partials: await read(path.join('templates', 'partials'), isHbs),
  };
}

/** File names in a folder; an optional folder that does not exist (templates/partials) has none. */
async function fileNames(dir: string, options: { optional: boolean }): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    if (options.optional && error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
}

/** `./playbooks/` -> `playbooks`: relative to the working directory when inside it, as a manager typed it. */
function shownPath(dir: string): string {
  const relative = path.relative(process.cwd(), path.resolve(dir));
  const shown = relative === '' ? '.' : relative.startsWith('..') ? path.resolve(dir) : relative;
  return shown.split(path.sep).join('/');
}

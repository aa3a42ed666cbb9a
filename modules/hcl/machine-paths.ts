import { readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * Rendered HCL must work on any machine: it may not mention a folder of the machine that wrote it (cdktf's
 * default local backend is one way such a path gets in; a tag value or an asset path are others).
 */

/** Raised when a rendered file mentions a path of this machine. */
export class MachinePathError extends Error {}

/**
 * The paths no rendered file may mention: `folders` (the output and working folders of the run), the current
 * folder, this checkout, and anything under a personal home folder (`/home/alice/`). Not bare system folders
 * such as /tmp or /root: a container definition or a script may well name them.
 */
export function machinePaths(folders: string[]): string[] {
  const home = homedir().split('/').filter(Boolean).length >= 2 ? [`${homedir()}/`] : [];
  const paths = [...folders, process.cwd(), join(__dirname, '..', '..'), ...home];
  // A folder is looked for as given and as resolved (/tmp may be a link); a trailing slash marks a prefix.
  return [...new Set(paths.flatMap((path) => (path.endsWith('/') ? [path] : [path, safeRealpath(path)])).filter((path) => path.replace(/\/+$/, '').length > 1))];
}

/** Throws {@link MachinePathError} when one of `files` mentions one of `paths`; messages name files relative to `base`. */
export function refuseMachinePaths(files: string[], paths: string[], base: string): void {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const found = paths.find((path) => text.includes(path));
    if (found) throw new MachinePathError(`${relative(base, file)} mentions the path ${found} of this machine.`);
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

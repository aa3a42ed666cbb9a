import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project root, where cdktf.json and package.json are. */
const PROJECT_ROOT = join(__dirname, '..');

/** A command as this project writes one, to run in the project root: this Node and its arguments. */
export interface NodeCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** `node <arguments>`, as written in `where`, with this Node (a script run under npm gets the same one). */
function nodeCommand(line: unknown, where: string): NodeCommand {
  const words = typeof line === 'string' ? line.trim().split(/\s+/) : [];
  if (words[0] !== 'node') throw new Error(`${where} should be a node command (node <arguments> <file>.ts); it is ${JSON.stringify(line)}.`);
  return { command: process.execPath, args: words.slice(1) };
}

function projectJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, file), 'utf8')) as Record<string, unknown>;
}

/**
 * The app of cdktf.json, what `cdktf synth` runs: the benchmark and the tests run the app alone as `cdktf
 * synth` would, and follow cdktf.json when it changes.
 */
export function appCommand(): NodeCommand {
  return nodeCommand(projectJson('cdktf.json').app, 'cdktf.json "app"');
}

/** An npm script of package.json that runs node (`npm run <name>` without npm), for the tests to run as written. */
export function npmScriptCommand(name: string): NodeCommand {
  const scripts = (projectJson('package.json').scripts ?? {}) as Record<string, unknown>;
  return nodeCommand(scripts[name], `package.json "scripts.${name}"`);
}

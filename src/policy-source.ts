/**
 * Where the policy comes from: the workspace file when present, otherwise the same path in the repository
 * running the workflow (read through the API, so a checkout step is optional), otherwise the built-in
 * policy — but only for the default path: a missing explicit path is an error.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLICY } from './config/defaults.js';
import { formatConfigProblem, parsePolicy } from './config/load.js';
import type { Policy } from './config/types.js';

export const DEFAULT_CONFIG_PATH = '.github/tier-audit.yml';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type RemoteFile =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  /** The path is a directory or a submodule. */
  | { kind: 'not-a-file'; message: string }
  | { kind: 'error'; message: string };

export interface PolicySourceInput {
  /** The configured path (relative to the workspace / repository root). */
  configPath: string;
  /** Whether the user set the path (a missing explicit file is an error). */
  explicit: boolean;
  /** The workspace directory, if any (GITHUB_WORKSPACE, or the CWD for the CLI). */
  workspace: string | null;
  /** Reads the path from the repository running the workflow; null when there is none (CLI). */
  readRemote: ((path: string) => Promise<RemoteFile>) | null;
}

export interface LoadedPolicy {
  policy: Policy;
  /** Human description of where it came from. */
  source: string;
  warnings: string[];
}

function parseOrThrow(text: string, file: string, source: string): LoadedPolicy {
  const parsed = parsePolicy(text, file);
  if (!parsed.ok) {
    const lines = parsed.errors.map(formatConfigProblem);
    throw new ConfigError(`The policy file ${file} is invalid:\n${lines.join('\n')}`);
  }
  return { policy: parsed.policy, source, warnings: parsed.warnings.map(formatConfigProblem) };
}

export async function loadPolicySource(input: PolicySourceInput): Promise<LoadedPolicy> {
  const configPath = input.configPath.trim() || DEFAULT_CONFIG_PATH;
  if (input.workspace) {
    const local = path.resolve(input.workspace, configPath);
    try {
      const text = await fs.readFile(local, 'utf8');
      return parseOrThrow(text, configPath, `${configPath} (workspace)`);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ConfigError(`The policy file ${configPath} could not be read: ${(error as Error).message}`);
      }
    }
  }
  if (input.readRemote) {
    const remote = await input.readRemote(configPath);
    if (remote.kind === 'text') return parseOrThrow(remote.text, configPath, `${configPath} (repository)`);
    if (remote.kind === 'error' || remote.kind === 'not-a-file') {
      throw new ConfigError(
        `The policy file ${configPath} could not be read from the repository: ${remote.message}`,
      );
    }
  }
  if (input.explicit && configPath !== DEFAULT_CONFIG_PATH) {
    throw new ConfigError(
      `The policy file ${configPath} does not exist (looked in the workspace${input.readRemote ? ' and in the repository running the workflow' : ''}). Fix the \`config\` input or add the file.`,
    );
  }
  return { policy: DEFAULT_POLICY, source: 'built-in policy (Falco scope)', warnings: [] };
}

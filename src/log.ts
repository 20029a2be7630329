/** Where progress and problems go: `@actions/core` in the action, stderr in the CLI, a list in tests. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  /** A problem the user should see (an annotation in Actions). */
  warning(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
};

/** A logger that records every line, for tests. */
export function memoryLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at('debug'), info: at('info'), warning: at('warning'), error: at('error') };
}

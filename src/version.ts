/** The tool version written into reports; keep in step with package.json (a test checks it). */
export const TOOL_VERSION = '1.0.0';

/** The part of @vercel/ncc's programmatic API the bench uses (the package ships no types). */
declare module '@vercel/ncc' {
  interface NccOptions {
    quiet?: boolean;
    sourceMap?: boolean;
    minify?: boolean;
  }
  export default function ncc(
    file: string,
    options?: NccOptions,
  ): Promise<{ code: string; map?: string; assets: Record<string, unknown> }>;
}

/**
 * The baseline the collector is compared with: a straightforward REST crawl, in its own process.
 *
 *   tsx bench/rest-baseline.ts --url REST_BASE --org LOGIN [--concurrency C]
 *
 * 1. `GET /orgs/{org}/repos?per_page=100` (every page), `GET /orgs/{org}/properties/values?per_page=100`
 *    (every page) and the registry file (`evolution/repositories.yaml`);
 * 2. per repository, one request per thing the checks read: the root listing, OWNERS, OWNERS_ALIASES, the
 *    README (its name taken from the root listing), the `.github`, `.github/workflows` and `docs` listings,
 *    each workflow file, releases (`GET /repos/{o}/{r}/releases?per_page=10`) and tags
 *    (`GET /repos/{o}/{r}/tags?per_page=20`). The license and push date come with the repository list.
 * Every request is counted as the fake answers it: a missing file is a 404, and the fake serves no
 * `releases` / `tags` REST routes, so those are 404s too (GitHub would answer them with 200: same count).
 * Files are decoded and kept in memory, as a collector would. `C` repositories are crawled at a time
 * (default 10; GitHub asks for serial requests per token, so this is generous to the baseline's wall time).
 * Prints ONE JSON line on stdout (BaselineWorkerResult in bench/lib.ts).
 */
import type { BaselineWorkerResult } from './lib.js';

const TOKEN = 'ghs_benchToken0000000000';

function flag(argv: string[], name: string, fallback?: string): string {
  const i = argv.indexOf(name);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  if (fallback === undefined) throw new Error(`${name} is required`);
  return fallback;
}

interface ListedRepo {
  name: string;
  full_name: string;
  default_branch: string | null;
  pushed_at: string | null;
  archived: boolean;
}

interface ContentEntry {
  name: string;
  path: string;
  type: string;
}

interface ContentFile {
  type: 'file';
  encoding: string;
  content: string;
}

const statuses: Record<string, number> = {};
let requests = 0;

async function get(url: string): Promise<{ status: number; body: unknown; link: string | null }> {
  requests++;
  try {
    const response = await fetch(url, {
      headers: {
        authorization: `token ${TOKEN}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'tier-audit-bench',
      },
    });
    const text = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: response.status, body, link: response.headers.get('link') };
  } catch {
    statuses['-1'] = (statuses['-1'] ?? 0) + 1;
    return { status: -1, body: null, link: null };
  }
}

function nextLink(link: string | null): string | null {
  if (!link) return null;
  const match = /<([^>]+)>;\s*rel="next"/.exec(link);
  return match ? match[1] : null;
}

async function getAllPages<T>(firstUrl: string): Promise<T[]> {
  const items: T[] = [];
  let url: string | null = firstUrl;
  while (url) {
    const page = await get(url);
    if (page.status !== 200 || !Array.isArray(page.body)) break;
    items.push(...(page.body as T[]));
    url = nextLink(page.link);
  }
  return items;
}

function decode(body: unknown): string | null {
  const file = body as Partial<ContentFile> | null;
  if (!file || file.type !== 'file' || typeof file.content !== 'string') return null;
  return Buffer.from(file.content, 'base64').toString('utf8');
}

function listing(body: unknown): ContentEntry[] {
  return Array.isArray(body) ? (body as ContentEntry[]) : [];
}

async function crawlRepository(base: string, repo: ListedRepo): Promise<Record<string, string | string[]>> {
  const at = `${base}/repos/${repo.full_name.split('/').map(encodeURIComponent).join('/')}`;
  const contents = (path: string) =>
    get(`${at}/contents/${path.split('/').map(encodeURIComponent).join('/')}`);
  const kept: Record<string, string | string[]> = {};
  const root = listing((await contents('')).body);
  kept['/'] = root.map((e) => e.name);
  for (const file of ['OWNERS', 'OWNERS_ALIASES']) {
    const text = decode((await contents(file)).body);
    if (text !== null) kept[file] = text;
  }
  const readme = root.find((e) => e.type === 'file' && /^readme(\.|$)/i.test(e.name))?.name ?? 'README.md';
  const readmeText = decode((await contents(readme)).body);
  if (readmeText !== null) kept[readme] = readmeText;
  kept['.github/'] = listing((await contents('.github')).body).map((e) => e.name);
  const workflows = listing((await contents('.github/workflows')).body).filter(
    (e) => e.type === 'file' && /\.ya?ml$/i.test(e.name),
  );
  for (const workflow of workflows) {
    const text = decode((await contents(workflow.path)).body);
    if (text !== null) kept[workflow.path] = text;
  }
  kept['docs/'] = listing((await contents('docs')).body).map((e) => e.name);
  const releases = await get(`${at}/releases?per_page=10`);
  if (Array.isArray(releases.body)) kept.releases = JSON.stringify(releases.body);
  const tags = await get(`${at}/tags?per_page=20`);
  if (Array.isArray(tags.body)) kept.tags = JSON.stringify(tags.body);
  return kept;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const base = flag(argv, '--url').replace(/\/+$/, '');
  const org = flag(argv, '--org');
  const concurrency = Math.max(1, Math.floor(Number(flag(argv, '--concurrency', '10'))) || 10);

  const started = performance.now();
  const repos = await getAllPages<ListedRepo>(
    `${base}/orgs/${encodeURIComponent(org)}/repos?per_page=100&type=all`,
  );
  const properties = await getAllPages<unknown>(
    `${base}/orgs/${encodeURIComponent(org)}/properties/values?per_page=100`,
  );
  const registry = decode(
    (await get(`${base}/repos/${encodeURIComponent(org)}/evolution/contents/repositories.yaml`)).body,
  );

  const collected = new Map<string, Record<string, string | string[]>>();
  let next = 0;
  const worker = async () => {
    while (next < repos.length) {
      const repo = repos[next++];
      collected.set(repo.name, await crawlRepository(base, repo));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, repos.length) }, worker));
  const wallMs = performance.now() - started;

  const result: BaselineWorkerResult = {
    wallMs,
    maxRssKb: process.resourceUsage().maxRSS,
    repositories: collected.size,
    requests,
    statuses,
    concurrency,
  };
  // Keep what was read alive until the measurement is taken.
  if (collected.size + properties.length + (registry?.length ?? 0) < 0) process.stderr.write('unreachable\n');
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`rest-baseline: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

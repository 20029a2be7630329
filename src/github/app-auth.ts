/**
 * GitHub App credentials → installation tokens (`@octokit/auth-app`): the action mints a token for the
 * App's installation on the audited organization and mints a new one before it expires (installation
 * tokens live one hour), so an audit of any length never dies on an expired token.
 */
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { GitHubApiError, proxyAwareFetch } from './client.js';

export interface AppCredentials {
  appId: string;
  /** PEM text of the App's private key. */
  privateKey: string;
}

/** A source of valid installation tokens: each call returns a cached token, or mints a new one near expiry. */
export type TokenSource = () => Promise<string>;

/**
 * The installation of the App on `organization` (an organization, else a user account), and a token
 * source for it. Throws a `GitHubApiError` naming what to fix when the App cannot be used.
 */
export async function appTokenSource(
  credentials: AppCredentials,
  organization: string,
  apiUrl: string,
  options: { requestTimeoutMs?: number } = {},
): Promise<TokenSource> {
  const baseUrl = apiUrl.replace(/\/+$/, '');
  const appRequest = request.defaults({
    baseUrl,
    request: { fetch: proxyAwareFetch(baseUrl, options.requestTimeoutMs ?? 120_000) },
  });
  let auth;
  try {
    auth = createAppAuth({
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      request: appRequest,
    });
  } catch (error) {
    throw new GitHubApiError(
      `app-id / app-private-key cannot be used: ${(error as Error).message}`,
      null,
      'auth',
    );
  }
  let installationId: number;
  try {
    const { token: jwt } = await auth({ type: 'app' });
    const headers = { authorization: `bearer ${jwt}` };
    const found = await appRequest('GET /orgs/{org}/installation', { org: organization, headers }).catch(
      (error: { status?: number }) => {
        if (error.status !== 404) throw error;
        return appRequest('GET /users/{username}/installation', { username: organization, headers });
      },
    );
    installationId = found.data.id;
  } catch (error) {
    const status = (error as { status?: number }).status ?? null;
    const why =
      status === 404
        ? `the App ${credentials.appId} is not installed on ${organization}`
        : status === 401
          ? `GitHub rejected the App's credentials (check app-id and app-private-key)`
          : status === null
            ? `app-private-key cannot be used to sign the App's token (${(error as Error).message}): give the PEM text of the App's private key`
            : `the App's installation on ${organization} could not be found: ${(error as Error).message}`;
    throw new GitHubApiError(why, status, 'auth');
  }
  return async () => (await auth({ type: 'installation', installationId })).token;
}

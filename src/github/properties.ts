/** Organization custom property values (REST `GET /orgs/{org}/properties/values`). */
import type { Logger } from '../log.js';
import { redact, type GitHubClient } from './client.js';

export type CustomPropertyValue = string | string[] | null;

interface PropertyValuesItem {
  repository_name: string;
  properties?: { property_name: string; value: CustomPropertyValue }[];
}

/**
 * Every repository's custom property values, by repository name. A user account (404), a token without
 * the `Custom properties: read` organization permission (403) or any other failure gives a `warning`.
 */
export async function readCustomProperties(
  client: GitHubClient,
  org: string,
  log: Logger,
): Promise<{ values: Map<string, Record<string, CustomPropertyValue>> } | { warning: string }> {
  const values = new Map<string, Record<string, CustomPropertyValue>>();
  try {
    let pages = 0;
    for await (const response of client.rest.paginate.iterator('GET /orgs/{org}/properties/values', {
      org,
      per_page: 100,
    })) {
      pages++;
      for (const item of response.data as PropertyValuesItem[]) {
        const record: Record<string, CustomPropertyValue> = {};
        for (const property of item.properties ?? []) record[property.property_name] = property.value ?? null;
        values.set(item.repository_name, record);
      }
    }
    log.debug(`Custom properties of ${org}: ${values.size} repositories in ${pages} page(s)`);
    return { values };
  } catch (caught) {
    const error = caught as { status?: number; message?: string };
    const message = redact(error.message ?? String(caught));
    if (error.status === 404) {
      return {
        warning: `custom properties of ${org} could not be read: ${org} is not an organization (or the token cannot see it); declarations by custom property are ignored`,
      };
    }
    if (error.status === 403) {
      return {
        warning: `the token cannot read the custom properties of ${org}: grant the organization permission \`Custom properties: read\` (GitHub App or fine-grained token) or the \`read:org\` scope (classic PAT); declarations by custom property are ignored (GitHub said: ${message})`,
      };
    }
    return {
      warning: `custom properties of ${org} could not be read: ${message}; declarations by custom property are ignored`,
    };
  }
}

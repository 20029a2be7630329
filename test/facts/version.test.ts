import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { FACTS_QUERY_FINGERPRINT, FACTS_VERSION } from '../../src/facts/version.js';
import {
  ORG_REPOSITORIES_QUERY,
  ORG_REPOSITORY_LISTING_QUERY,
  REPOSITORIES_BY_ID_QUERY,
} from '../../src/github/queries.js';
import { computeQueryCost } from '../fake-github/cost.js';
import { githubGraphqlSchema } from '../fake-github/graphql.js';

describe('facts version', () => {
  it('is bumped whenever the heavy query changes (see the bump rule in src/facts/version.ts)', () => {
    const fingerprint = createHash('sha256').update(ORG_REPOSITORIES_QUERY).digest('hex').slice(0, 16);
    if (fingerprint !== FACTS_QUERY_FINGERPRINT) {
      throw new Error(
        `ORG_REPOSITORIES_QUERY changed: bump FACTS_VERSION (now ${FACTS_VERSION}) and set FACTS_QUERY_FINGERPRINT to '${fingerprint}' in src/facts/version.ts`,
      );
    }
  });

  it('reads by id exactly what a page reads', () => {
    const fragment = (query: string) => query.slice(query.indexOf('fragment RepositoryFields'));
    expect(fragment(REPOSITORIES_BY_ID_QUERY)).toBe(fragment(ORG_REPOSITORIES_QUERY));
  });

  it('the listing costs 1 point per 100 repositories; the read by id is charged 1 point for up to 100', () => {
    const schema = githubGraphqlSchema();
    const listing = computeQueryCost(schema, parse(ORG_REPOSITORY_LISTING_QUERY), { org: 'o', first: 100 });
    expect(listing.errors).toEqual([]);
    expect(listing.cost).toBe(1);
    const ids = Array.from({ length: 100 }, (_, i) => `R_${i}`);
    const byId = computeQueryCost(schema, parse(REPOSITORIES_BY_ID_QUERY), { ids });
    expect(byId.errors).toEqual([]);
    // `nodes(ids:)` is not a connection: its nested connections count once each (GitHub's published
    // algorithm). The collector still budgets it like a page (pagePoints), to be safe.
    expect(byId.cost).toBe(1);
  });
});

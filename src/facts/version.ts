/**
 * The version of the stored repository facts (src/facts/store.ts). Facts read under another version are
 * never reused: the store of another version is ignored and every repository is read again.
 *
 * BUMP RULE: increment `FACTS_VERSION` whenever what a stored fact means could change — `RepoSnapshot`
 * (src/snapshot.ts) gains, loses or changes a field, the heavy query (`ORG_REPOSITORIES_QUERY`, shared by
 * `REPOSITORIES_BY_ID_QUERY`) asks for something else, or src/github/map.ts maps an answer differently.
 * Then update `FACTS_QUERY_FINGERPRINT` to the value test/facts/version.test.ts prints: the test fails
 * when the heavy query changed without a bump, so a new snapshot field cannot silently be missing from
 * facts cached by an older version.
 *
 * History: 4 — `nestedOwners` (OWNERS files below the root) joined the snapshot (#12). 5 — the heavy query
 * lists the folders below the root when asked (`$nestedOwners`, #12).
 */
export const FACTS_VERSION = 5;

/** sha256 (first 16 hex digits) of `ORG_REPOSITORIES_QUERY` at `FACTS_VERSION` (see the bump rule). */
export const FACTS_QUERY_FINGERPRINT = '812b9f3349cd03e6';

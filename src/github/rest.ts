import type { getOctokit } from '@actions/github';

/** The REST client the action uses (getOctokit with throttling and retry); publish/ receives it. */
export type RestClient = ReturnType<typeof getOctokit>;

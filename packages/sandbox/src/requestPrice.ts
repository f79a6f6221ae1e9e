/** What a request costs against GitHub's rate limits: shared by the router (routes price themselves) and the limits that charge it. */
export type RateLimitResource = 'core' | 'search' | 'graphql';

/** What one request costs. */
export interface RequestPrice {
  resource: RateLimitResource;
  /** Against the primary limit: 1 for REST, the query's points for GraphQL, 0 for `GET /rate_limit`. */
  primary: number;
  /** The endpoint whose per-minute points it spends (`GET /repos/{owner}/{repo}/issues`, `POST /graphql`); none for an unknown path. */
  endpoint: string | undefined;
  /** Secondary points: 1 for GET/HEAD/OPTIONS and GraphQL queries, 5 for other methods and mutations. */
  points: number;
  contentCreating: boolean;
}

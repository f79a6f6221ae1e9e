/**
 * The Action's inputs and outputs, in one place. `test/actionManifest.test.ts` checks that
 * `action.yml` declares exactly these, so the code and the manifest cannot drift apart.
 */
export interface ActionInput {
  description: string;
  required: boolean;
  default?: string;
}

export const ACTION_INPUTS = {
  token: {
    description:
      'Token firewatch acts with. The default GITHUB_TOKEN works; its permissions come from the workflow (issues: write, pull-requests: write, contents: write, deployments: write).',
    required: false,
    default: '${{ github.token }}',
  },
  contacts: {
    description:
      'Paging contacts (YAML or JSON, see docs/paging.md), from a repository or organization secret: `contacts: ${{ secrets.FIREWATCH_CONTACTS }}`. Channel credentials go in the step env (FIREWATCH_NTFY_URL, FIREWATCH_TWILIO_*, ...).',
    required: false,
    default: '',
  },
  'log-level': {
    description: 'Log level: trace, debug, info, warn, error.',
    required: false,
    default: 'info',
  },
  'state-key': {
    description:
      "Secret that seals the incident state block in each issue body, so an edit of it by anyone else is caught (pass a repository secret: state-key: ${{ secrets.FIREWATCH_STATE_KEY }}). Without it the block is unsealed and only firewatch's issues.edited handling guards it.",
    required: false,
  },
} as const satisfies Record<string, ActionInput>;

export const ACTION_OUTPUTS = {} as const satisfies Record<string, { description: string }>;

import { describe, expect, it } from 'vitest';
import { restLogin } from '../../../src/adapters/github/graphqlActor.ts';
import { FIREWATCH } from '../../support/identity.ts';

describe('restLogin', () => {
  it("gives a GraphQL bot author its REST login, so firewatch's own identity recognises it; people stay as they are", () => {
    expect(restLogin({ __typename: 'Bot', login: 'firewatch' })).toBe('firewatch[bot]');
    expect(FIREWATCH.isOwnActor({ login: restLogin({ __typename: 'Bot', login: 'firewatch' }) })).toBe(true);
    expect(restLogin({ __typename: 'Bot', login: 'firewatch[bot]' })).toBe('firewatch[bot]');
    // A person named like the app is not the app.
    expect(FIREWATCH.isOwnActor({ login: restLogin({ __typename: 'User', login: 'firewatch' }) })).toBe(false);
    expect(restLogin({ login: 'bob' })).toBe('bob');
  });
});

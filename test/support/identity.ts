import { fixedIdentity, identityOf } from '../../src/services/identity.ts';

/** The sandbox's GitHub App bot, which the fakes and the sandbox write as. */
export const FIREWATCH = identityOf('firewatch[bot]');
export const FIREWATCH_SOURCE = fixedIdentity('firewatch[bot]');

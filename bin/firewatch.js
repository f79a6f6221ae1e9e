#!/usr/bin/env node
// Runs the TypeScript CLI straight from a checkout: tsx compiles src/ on the fly.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
await runCli(process.argv.slice(2));

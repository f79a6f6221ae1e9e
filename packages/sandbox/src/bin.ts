#!/usr/bin/env node
// The `github-sandbox` command (the built package runs this file; a checkout runs bin/github-sandbox.js).
import { runCli } from './cli.ts';

await runCli(process.argv.slice(2));

#!/usr/bin/env node
// `github-sandbox` from a checkout: tsx compiles src/ on the fly. The built package (npm run build)
// runs the compiled src/bin.js instead.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');

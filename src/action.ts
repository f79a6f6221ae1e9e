/**
 * Entry point of the GitHub Action (bundled into dist/index.js): one workflow event, handled by the
 * same app as the server. The runtime lives in src/runtimes/action/.
 */
import { main } from './runtimes/action/main.ts';

await main();

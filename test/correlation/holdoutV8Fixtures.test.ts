import { HOLDOUT_V8_DIR } from './runScenario.ts';
import { describeConsistentStories, describeWellFormed } from './wellFormedSet.ts';

// holdout-v8 is an unseen evaluation set: this checks only that its files are well formed, its
// labels point at something that exists, and its stories hold together. It never ranks.
describeWellFormed('holdout-v8', HOLDOUT_V8_DIR);
describeConsistentStories('holdout-v8', HOLDOUT_V8_DIR, 'z');

import { HOLDOUT_V9_DIR } from './runScenario.ts';
import { describeConsistentStories, describeWellFormed } from './wellFormedSet.ts';

// holdout-v9 is an unseen evaluation set: this checks only that its files are well formed, its
// labels point at something that exists, and its stories hold together. It never ranks.
describeWellFormed('holdout-v9', HOLDOUT_V9_DIR);
describeConsistentStories('holdout-v9', HOLDOUT_V9_DIR, 'u');

import { HOLDOUT_V7_DIR } from './runScenario.ts';
import { describeConsistentStories, describeWellFormed } from './wellFormedSet.ts';

// holdout-v7 is an unseen evaluation set: this checks only that its files are well formed, its
// labels point at something that exists, and its stories hold together. It never ranks.
describeWellFormed('holdout-v7', HOLDOUT_V7_DIR);
describeConsistentStories('holdout-v7', HOLDOUT_V7_DIR, 'y');

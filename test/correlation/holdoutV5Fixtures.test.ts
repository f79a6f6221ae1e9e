import { HOLDOUT_V5_DIR } from './runScenario.ts';
import { describeConsistentStories, describeWellFormed } from './wellFormedSet.ts';

// holdout-v5 is an unseen evaluation set: this checks only that its files are well formed, its
// labels point at something that exists, and its stories hold together. It never ranks.
describeWellFormed('holdout-v5', HOLDOUT_V5_DIR);
describeConsistentStories('holdout-v5', HOLDOUT_V5_DIR, 'v');

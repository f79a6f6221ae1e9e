import { HOLDOUT_V6_DIR } from './runScenario.ts';
import { describeConsistentStories, describeWellFormed } from './wellFormedSet.ts';

// holdout-v6 is an unseen evaluation set: this checks only that its files are well formed, its
// labels point at something that exists, and its stories hold together. It never ranks.
describeWellFormed('holdout-v6', HOLDOUT_V6_DIR);
describeConsistentStories('holdout-v6', HOLDOUT_V6_DIR, 'x');

import { describeWellFormed } from './wellFormedSet.ts';
import { HOLDOUT_V4_DIR } from './runScenario.ts';

// holdout-v4 is an unseen evaluation set: this checks only that its files are well formed and its
// labels point at something that exists. It never ranks (the set must stay unseen until it is run once).
describeWellFormed('holdout-v4', HOLDOUT_V4_DIR);

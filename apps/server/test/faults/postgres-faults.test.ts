import { describeEngineFaults } from '../support/engine-fault-suite';

describeEngineFaults('postgres');

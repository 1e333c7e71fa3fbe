export { createScratchDatabase, type ScratchDatabase, TEST_ADMIN_URL } from './scratch-database';

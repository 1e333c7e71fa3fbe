// One real server for this project's test run (see @tickfolio/api/testing).
export { provideApiServer as default } from '../../testing';

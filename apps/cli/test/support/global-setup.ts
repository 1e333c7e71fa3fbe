// One real server, a process of its own, for this project's whole test run (see @tickfolio/api/testing).
export { provideApiServer as default } from '@tickfolio/api/testing';

export { createLogger, type Logger } from '@tickfolio/process';

import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'process', include: ['src/**/*.test.ts'] } });

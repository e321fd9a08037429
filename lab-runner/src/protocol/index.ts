export * from './agent-requests.ts';
export * from './api-bodies.ts';
export * from './friendly-parse.ts';
export * from './lab-manifest.ts';
export * from './lesson.ts';
export * from './messages.ts';
export * from './progress-events.ts';
export * from './questions.ts';

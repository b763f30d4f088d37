// Runs once before all test files. Keeps test output free of pino noise unless asked for.
export default function setup(): void {
  process.env.LOG_LEVEL ??= 'silent';
}

import { existsSync } from 'node:fs';
import { ConfigError } from '@flatrender/platform';

// Settings come from the environment; a `.env` file in the working directory fills in what is unset.
if (existsSync('.env')) process.loadEnvFile('.env');

const USAGE = `flatrender <command>

  start                 the whole platform in one process (embedded adapters unless configured)
  serve <service>       one service as its own process (distributed: DATABASE_URL, AMQP_URL, ...)
                        services: gateway identity content studio file render notification
  node                  a render node
  migrate               apply every service's database migrations, then exit
  seed                  load the demo templates, fonts and plans, then exit
  render <template>     render a template to a video or image file   (flatrender render --help)
  still <template>      render one frame                             (flatrender still --help)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { runStart } = await import('./start.command');
      return runStart(rest);
    }
    case 'serve': {
      const { runServe } = await import('./serve.command');
      return runServe(rest);
    }
    case 'node': {
      const { runNode } = await import('./node.command');
      return runNode(rest);
    }
    case 'migrate': {
      const { runMigrate } = await import('./migrate.command');
      return runMigrate(rest);
    }
    case 'seed': {
      const { runSeed } = await import('./seed.command');
      return runSeed(rest);
    }
    case 'render': {
      const { runRenderCommand } = await import('@flatrender/engine/node');
      return runRenderCommand(rest);
    }
    case 'still': {
      const { runStillCommand } = await import('@flatrender/engine/node');
      return runStillCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`flatrender: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A configuration problem is one line naming the variable; anything else keeps its stack.
    if (error instanceof ConfigError) process.stderr.write(`flatrender: ${error.message}\n`);
    else
      process.stderr.write(
        `flatrender: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exitCode = 1;
  },
);

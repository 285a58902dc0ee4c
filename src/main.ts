import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { start } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await start(config);
}

void main();

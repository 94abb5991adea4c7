#!/usr/bin/env node
// The command-line entry point: the CLI's commands plus `bench`, which lives
// with the benchmarks (nothing below the entry points imports them).
import { registerBenchCommand } from '../bench/command.ts';
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), [registerBenchCommand]);

#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { runCli } from "./commands.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  readFile: (path) => readFile(path, "utf8"),
});

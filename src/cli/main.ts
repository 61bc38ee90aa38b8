#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { runCli } from "./commands.js";

// A reader that stops early (`ptc run big.clj | head`) closes the pipe: the output is no longer
// wanted, so the process ends quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? (process.exitCode ?? 0) : 1);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  readFile: (path) => readFile(path, "utf8"),
  env: process.env,
});

// Runs the official server conformance suite (npm @durable-streams/server-conformance-tests)
// against our server. The suite's own CLI finds no test file under vitest 4, so it is called
// from here. By default this starts `./ds serve` on a free port with a 1 s long-poll timeout and
// --allow-local-webhooks (the suite's webhook receivers listen on 127.0.0.1); set DS_BASE_URL to
// test a server that is already running (started with that flag). DS_STORE picks the store;
// DS_DATA_DIR is the file store's directory and DS_POSTGRES_URL the postgres store's database.
// The opt-in subscription tests are enabled: all 338 tests must pass.
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import path from "node:path"
import { afterAll, beforeAll } from "vitest"
import { runConformanceTests } from "@durable-streams/server-conformance-tests"

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const config = { baseUrl: process.env.DS_BASE_URL ?? "", longPollTimeoutMs: 1000, subscriptions: true }
let server

beforeAll(async () => {
  if (config.baseUrl) return
  const store = process.env.DS_STORE ?? "memory"
  const args = ["serve", "--port", "0", "--store", store, "--long-poll-timeout", "1s", "--allow-local-webhooks"]
  if (process.env.DS_DATA_DIR) args.push("--data-dir", process.env.DS_DATA_DIR)
  if (store === "postgres" && process.env.DS_POSTGRES_URL) args.push("--postgres-url", process.env.DS_POSTGRES_URL)
  server = spawn(path.join(repoRoot, "ds"), args, { stdio: ["ignore", "pipe", "inherit"] })
  config.baseUrl = await new Promise((resolve, reject) => {
    let out = ""
    server.stdout.on("data", (chunk) => {
      out += chunk
      const match = out.match(/listening on (http:\/\/[^\s]+)/)
      if (match) resolve(match[1])
    })
    server.on("exit", (code) => reject(new Error(`ds serve exited with ${code}: ${out}`)))
  })
})

afterAll(() => {
  server?.kill("SIGTERM")
})

runConformanceTests(config)

// Starts the official Durable Streams reference server, file-backed (fdatasync per append), on
// 127.0.0.1 and prints "listening on <url>" like ./ds serve, so scripts/bench.sh treats both alike.
// Configuration: DS_PORT (0 = any free port), DS_DATA_DIR (required), DS_LONG_POLL_TIMEOUT_MS.
import { DurableStreamTestServer } from "@durable-streams/server"

const dataDir = process.env.DS_DATA_DIR
if (!dataDir) {
  console.error("DS_DATA_DIR is required")
  process.exit(2)
}
const server = new DurableStreamTestServer({
  port: Number(process.env.DS_PORT ?? 0),
  longPollTimeout: Number(process.env.DS_LONG_POLL_TIMEOUT_MS ?? 30000),
  dataDir,
})
await server.start()
process.stdout.write(`listening on ${server.url}\n`)

async function stop() {
  await server.stop()
  process.exit(0)
}
process.on("SIGTERM", stop)
process.on("SIGINT", stop)

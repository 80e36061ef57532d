// Starts the official Durable Streams test server (in-memory, 127.0.0.1, random port) the way the
// official client conformance runner does, and prints its URL as the first line on stdout.
// The server stops when stdin closes, so it never outlives the Java runner that started it.
import { DurableStreamTestServer } from "@durable-streams/server"

const longPollTimeout = Number(process.env.DS_LONG_POLL_TIMEOUT_MS ?? 500)
const port = Number(process.env.DS_PORT ?? 0)

const server = new DurableStreamTestServer({ port, longPollTimeout })
await server.start()
process.stdout.write(`${server.url}\n`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await server.stop()
  process.exit(0)
}
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
process.stdin.on("end", stop)
process.stdin.on("close", stop)
process.stdin.resume()

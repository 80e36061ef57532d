import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["*.test.mjs"],
    testTimeout: 30000,
    hookTimeout: 120000,
    fileParallelism: false,
  },
})

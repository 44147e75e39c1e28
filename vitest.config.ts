import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start emulators and FDK processes; these are generous
    // ceilings for a loaded 2-core CI box, not performance assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: {
      // The SDK's global circuit breaker would turn deliberate fault-injection
      // into EOPENBREAKER noise; our client factory disables it explicitly too.
      OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false",
    },
  },
});

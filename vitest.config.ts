import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start emulators and FDK processes; these are generous
    // ceilings for a loaded 2-core CI box, not performance assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // No environment switch for the SDK's circuit breaker: the clients the
    // functions use switch it off themselves (shared/oci/clients.ts), and
    // test/integration/http/oci-clients.test.ts proves it with the SDK's
    // default left on, as in production.
    pool: "forks",
  },
});

/**
 * services.ts, and with it oci-common, the auth providers and the SDK clients:
 * imported on first use, not by the handlers, so a call its input validation
 * rejects is answered before any of it loads (docs/cold-start.md). The app
 * preloads it right after the handler, while Fn's first request is on its way.
 */
import type { Invocation } from "./invocation.js";
import type { Services } from "./services.js";

export const loadServicesModule = (): Promise<typeof import("./services.js")> => import("./services.js");

/** The container's services for one invocation (`containerServices` from its config, logger, clock and work deadline). */
export async function defaultServices(invocation: Invocation): Promise<Services> {
  const { containerServices } = await loadServicesModule();
  return containerServices({
    config: invocation.config,
    logger: invocation.logger,
    clock: invocation.clock,
    deadline: invocation.workDeadline,
  });
}

/** Resolves with the reason on the first SIGINT, SIGTERM or abort; a second Ctrl-C while stopping exits at once. */
export function waitForStopSignal(signal?: AbortSignal): Promise<string> {
  return new Promise((resolveStop) => {
    const stop = (why: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      signal?.removeEventListener("abort", onAbort);
      // A second Ctrl-C while stopping means "now": exit (for the stack, its exit hook kills the functions).
      if (why !== "abort") process.once("SIGINT", () => process.exit(130));
      resolveStop(why);
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    const onAbort = () => stop("abort");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
    if (signal?.aborted) stop("abort");
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

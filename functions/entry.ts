import fdk from "@fnproject/fdk";
import type { HandlerName } from "../shared/config/config-schema.js";
import { createExportHandler } from "./export/handler.js";
import { selectHandler, toFdkHandler } from "./fdk-adapter.js";
import type { FunctionHandler } from "./invocation.js";
import { defaultServices, pollHandler } from "./poll/handler.js";
import { trackHandler } from "./track/handler.js";

/**
 * The single FDK entry point (bundled to dist/func.js) serving every
 * function: which handler runs is chosen by `AIDP_WATCH_HANDLER` or the Fn
 * function name (`…-poll`, `…-track`, `…-export`). To add a function, add its
 * handler to `handlers`.
 */
const handlers: Record<HandlerName, FunctionHandler> = {
  poll: pollHandler,
  track: trackHandler,
  export: createExportHandler(async (invocation) => {
    const services = await defaultServices(invocation);
    if (!services.outputStore) throw new Error("AIDP_WATCH_OUTPUT_BUCKET is not set");
    return { aidp: services.aidp, outputStore: services.outputStore };
  }),
};

const name = selectHandler(process.env, Object.keys(handlers) as HandlerName[]);
fdk.handle(toFdkHandler(name, handlers[name]));

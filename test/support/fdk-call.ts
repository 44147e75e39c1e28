// The FDK caller lives in the local stack (`stack/invoker.ts`); tests use the same code.
export { callFdk, type FdkCallOptions, type FdkResponse, waitForSocket } from "../../stack/invoker.js";

/**
 * Where the AIDP data plane lives.
 *
 * Default: `https://aidp.<region>.oci.<second-level domain>` (`oraclecloud.com`
 * in OC1). Oracle's material shows two hosts: the AIDP Quick Start and "Use
 * APIs" pages document `aidp.<region>.oci.oraclecloud.com`, while the generated
 * SDKs (and the control-plane SDK) template `datalake.<region>.oci.…`. We
 * follow the documentation because it is what Oracle tells customers to call,
 * because the `aidp.` host is the one observed answering in a live tenancy
 * (docs/aidp-api.md, "Host and base path"), and because the function config documents
 * this default (`AIDP_WATCH_AIDP_ENDPOINT`). The host is a setting, never
 * hard-wired: `--aidp-endpoint` / `AIDP_WATCH_AIDP_ENDPOINT` override it.
 *
 * The API version path `/20260430` is appended unless the given endpoint
 * already ends with it.
 */
import { AidpClientError } from "./aidp-errors.js";

export const AIDP_API_VERSION = "20260430";
export const DEFAULT_SECOND_LEVEL_DOMAIN = "oraclecloud.com";

export function defaultAidpHost(regionId: string, secondLevelDomain: string = DEFAULT_SECOND_LEVEL_DOMAIN): string {
  return `https://aidp.${regionId}.oci.${secondLevelDomain}`;
}

/** Base URL ending in `/20260430` (no trailing slash), from an override or the region. */
export function resolveAidpBaseUrl(options: {
  endpoint?: string | undefined;
  regionId?: string | undefined;
  secondLevelDomain?: string | undefined;
}): string {
  let base: string;
  if (options.endpoint) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new AidpClientError(`AIDP endpoint is not a URL: ${options.endpoint}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new AidpClientError(`AIDP endpoint must be an http(s) URL: ${options.endpoint}`);
    base = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } else if (options.regionId) {
    base = defaultAidpHost(options.regionId, options.secondLevelDomain);
  } else {
    throw new AidpClientError("AIDP endpoint: give an endpoint or a region");
  }
  return base.endsWith(`/${AIDP_API_VERSION}`) ? base : `${base}/${AIDP_API_VERSION}`;
}

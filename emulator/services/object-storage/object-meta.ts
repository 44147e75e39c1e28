/**
 * What Object Storage keeps about one object besides its bytes. Shared by the
 * in-memory and the on-disk store; the on-disk store writes it as JSON in the
 * same file as the body, so the pair can never disagree.
 */
import { z } from "zod";

export const ObjectMetaSchema = z.object({
  name: z.string().min(1),
  size: z.number().int().nonnegative(),
  /** A fresh UUID on every write (not the MD5, as in OCI). */
  etag: z.string().min(1),
  /** Base64 MD5 of the content, for objects written by PutObject. */
  md5: z.string().optional(),
  /** `<base64 MD5 of the part MD5s>-<part count>`, for objects written by multipart upload. */
  multipartMd5: z.string().optional(),
  contentType: z.string(),
  contentEncoding: z.string().optional(),
  contentLanguage: z.string().optional(),
  contentDisposition: z.string().optional(),
  cacheControl: z.string().optional(),
  /** User metadata, keys without the `opc-meta-` prefix, lower-case (as HTTP delivers them). */
  meta: z.record(z.string(), z.string()),
  storageTier: z.string(),
  timeCreated: z.string(),
  timeModified: z.string(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

export interface StoredObject {
  readonly meta: ObjectMeta;
  readonly body: Buffer;
}

/**
 * In-progress multipart uploads. They live in memory only: a restart of the
 * emulator drops them (as if they had been aborted); committed objects persist.
 */
import { randomUUID } from "node:crypto";
import { ServiceError } from "../../http/service-error.js";

export interface UploadedPart {
  readonly etag: string;
  /** Base64 MD5 of the part. */
  readonly md5: string;
  readonly size: number;
  readonly body: Buffer;
}

export interface UploadDetails {
  readonly contentType?: string;
  readonly contentLanguage?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly cacheControl?: string;
  readonly storageTier: string;
  readonly meta: Record<string, string>;
}

export interface MultipartUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly object: string;
  readonly timeCreated: string;
  readonly details: UploadDetails;
  /** Preconditions given at creation, re-checked at commit. */
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly parts: Map<number, UploadedPart>;
}

export const MAX_PART_NUMBER = 10_000;

export class MultipartUploads {
  private readonly uploads = new Map<string, MultipartUpload>();

  create(init: Omit<MultipartUpload, "uploadId" | "parts">): MultipartUpload {
    const upload: MultipartUpload = { ...init, uploadId: randomUUID(), parts: new Map() };
    this.uploads.set(upload.uploadId, upload);
    return upload;
  }

  /** The upload for this object, or 404 `NoSuchUpload`. */
  get(uploadId: string | null, bucket: string, object: string): MultipartUpload {
    const upload = uploadId === null ? undefined : this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.object !== object) {
      throw new ServiceError(
        404,
        "NoSuchUpload",
        `The multipart upload ${uploadId ?? "(none)"} does not exist for object '${object}' in bucket '${bucket}'`,
      );
    }
    return upload;
  }

  delete(uploadId: string): void {
    this.uploads.delete(uploadId);
  }

  count(): number {
    return this.uploads.size;
  }
}

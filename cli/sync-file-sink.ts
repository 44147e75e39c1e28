/**
 * A file sink that writes on the calling thread (`fs.writeSync`), for
 * `decode`. With `fs.createWriteStream` each chunk went to the thread pool:
 * the decoders produce output faster than one write thread drains it, so the
 * pending chunks piled up (a 50 MB .Z output peaked ~45 MB higher) and the
 * main thread sat idle between round trips. Written synchronously, a chunk is
 * in the page cache before the decoder makes the next one, and its memory is
 * free again. `decode` has nothing else to do meanwhile, so blocking costs
 * nothing. The file is opened exclusively (`wx`): it must not exist yet.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { Writable } from "node:stream";

export function syncFileSink(path: string): Writable {
  let fd: number | undefined;
  return new Writable({
    construct(callback) {
      try {
        fd = openSync(path, "wx");
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    write(chunk: Buffer, _encoding, callback) {
      try {
        // writeSync may write less than asked (a full disk reports ENOSPC on the next call): loop until all is written.
        for (let at = 0; at < chunk.length; ) at += writeSync(fd as number, chunk, at, chunk.length - at);
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    destroy(err, callback) {
      let error = err;
      if (fd !== undefined) {
        try {
          closeSync(fd);
        } catch (closeErr) {
          error ??= closeErr as Error;
        }
        fd = undefined;
      }
      callback(error);
    },
  });
}

// seek-bzip 2.0.0 ships no types. Besides the documented `decode`, we type the
// block-level internals that `shared/decode/bzip2.ts` drives to stream block by
// block (the package version is pinned exactly for that reason).
declare module "seek-bzip" {
  export interface InputStream {
    readByte(): number;
    read(buffer: Uint8Array, offset: number, length: number): number;
    seek(pos: number): void;
    eof(): boolean;
  }
  export interface OutputStream {
    writeByte(byte: number): void;
  }
  interface BitReader {
    read(bits: number): number;
    seek(bitPos: number): void;
    bitOffset: number;
    hasByte: boolean;
  }
  class Bunzip {
    constructor(input: InputStream, output: OutputStream);
    reader: BitReader;
    streamCRC: number;
    /** The current block's CRC as stored in its header (set by `_init_block`). */
    targetBlockCRC: number;
    /** After `_init_block`: the block's BWT size (bytes before run-length decoding). */
    writeCount: number;
    outputStream: OutputStream;
    _init_block(): boolean;
    _read_bunzip(): number;
    _start_bunzip(input: InputStream, output: OutputStream): void;
    static decode(input: Uint8Array | InputStream, output?: number | Uint8Array | OutputStream, multistream?: boolean): Buffer;
    static Err: Record<string, number>;
  }
  export default Bunzip;
}

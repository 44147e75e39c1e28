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
  }
  class Bunzip {
    constructor(input: InputStream, output: OutputStream);
    reader: BitReader;
    streamCRC: number;
    _init_block(): boolean;
    _read_bunzip(): number;
    _start_bunzip(input: InputStream, output: OutputStream): void;
    static decode(input: Uint8Array | InputStream, output?: number | Uint8Array | OutputStream, multistream?: boolean): Buffer;
    static Err: Record<string, number>;
  }
  export default Bunzip;
}

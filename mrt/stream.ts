/**
 * Frames an MRT byte stream into records (RFC 6396 §2) and decodes each as it completes: chunks in,
 * routes out, one record held at a time, so memory stays constant however large the dump. Pure: the
 * caller feeds it bytes (mrt/file.ts reads files).
 *
 * A record whose body is malformed is reported (with its byte offset) and skipped: the common header's
 * length still says where the next record starts. A stream that ends inside a record, or a header
 * whose length is past any sane record, is fatal: from there on nothing can be framed.
 */
import { decodeRecord, MRT_HEADER_LENGTH, MRT_TYPE, type PeerIndex, type RecordHeader } from "./decode";
import { MrtError, type MrtRoute, type SkippedRecord } from "./model";
import { plural } from "../cli/text";

/**
 * The largest record this reader accepts. A BGP message is at most 65535 bytes (RFC 8654); a RIB
 * record holds one prefix's entries from every peer (a few hundred kilobytes for a big collector). A
 * length beyond this is a corrupt header, and buffering up to it would only waste memory.
 */
export const MAX_RECORD_LENGTH = 16 * 1024 * 1024;

export interface MrtSink {
  route(route: MrtRoute): void;
  peerIndex?(index: PeerIndex): void;
  /** A record of a type or subtype this reader does not read (RFC 6396: skip what you do not know). */
  skipped?(record: SkippedRecord): void;
  /** A malformed record, skipped. */
  malformed?(error: MrtError): void;
  /** A BGP4MP state change (session up or down at the collector). */
  stateChange?(change: { timestamp: number; peer: { address: string; asn: number }; from: number; to: number }): void;
}

export interface MrtStats {
  bytes: number;
  records: number;
  routes: number;
  skipped: number;
  malformed: number;
}

export class MrtStreamParser {
  private pending: Buffer = Buffer.alloc(0);
  /** Stream offset of `pending[0]`. */
  private offset = 0;
  private index: PeerIndex | undefined;
  readonly stats: MrtStats = { bytes: 0, records: 0, routes: 0, skipped: 0, malformed: 0 };

  constructor(private readonly sink: MrtSink) {}

  push(chunk: Buffer): void {
    this.stats.bytes += chunk.length;
    // What is pending is less than one record: joining it with the next chunk copies little.
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let pos = 0;
    while (buf.length - pos >= MRT_HEADER_LENGTH) {
      const length = buf.readUInt32BE(pos + 8);
      const at = this.offset + pos;
      if (length > MAX_RECORD_LENGTH) {
        throw new MrtError(
          at + 8,
          `the record at byte ${at} says it is ${length} bytes long, more than the ${MAX_RECORD_LENGTH} any MRT record needs: the file is corrupt or not MRT`,
        );
      }
      if (buf.length - pos - MRT_HEADER_LENGTH < length) break;
      this.record(buf, pos, length);
      pos += MRT_HEADER_LENGTH + length;
    }
    this.offset += pos;
    // Keep only the tail (a copy, so the chunk it came from can be freed).
    this.pending = pos === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }

  /** The stream has ended: anything left over is a truncated record. */
  end(): MrtStats {
    if (this.pending.length > 0) {
      const have = this.pending.length;
      if (have < MRT_HEADER_LENGTH) {
        throw new MrtError(
          this.offset,
          `the stream ends ${plural(have, "byte")} into a record's 12-byte header: truncated`,
        );
      }
      const length = this.pending.readUInt32BE(8);
      throw new MrtError(
        this.offset,
        `the record at byte ${this.offset} says it is ${length} bytes long, but the stream ends after ${have - MRT_HEADER_LENGTH}: truncated`,
      );
    }
    return this.stats;
  }

  private record(buf: Buffer, pos: number, length: number): void {
    this.stats.records++;
    const header: RecordHeader = {
      timestamp: buf.readUInt32BE(pos),
      type: buf.readUInt16BE(pos + 4),
      subtype: buf.readUInt16BE(pos + 6),
      offset: this.offset + pos,
    };
    let start = pos + MRT_HEADER_LENGTH;
    const end = start + length;
    try {
      if (header.type === MRT_TYPE.BGP4MP_ET) {
        // RFC 6396 §3: the _ET types carry microseconds first, counted in the length.
        if (length < 4)
          throw new MrtError(
            header.offset + 8,
            `a BGP4MP_ET record of ${length} bytes has no room for its microseconds`,
          );
        start += 4;
      }
      const decoded = decodeRecord(header, buf, start, end, this.offset + start, this.index);
      switch (decoded.kind) {
        case "peer-index":
          this.index = decoded.peerIndex;
          this.sink.peerIndex?.(decoded.peerIndex);
          break;
        case "routes":
          for (const r of decoded.routes) this.sink.route(r);
          this.stats.routes += decoded.routes.length;
          break;
        case "state":
          this.sink.stateChange?.({
            timestamp: header.timestamp,
            peer: decoded.peer,
            from: decoded.from,
            to: decoded.to,
          });
          break;
        case "message":
          break;
        case "skipped":
          this.stats.skipped++;
          this.sink.skipped?.(decoded.skipped);
          break;
        default: {
          const never: never = decoded;
          throw new Error(`unhandled ${String(never)}`);
        }
      }
    } catch (e) {
      if (!(e instanceof MrtError)) throw e;
      this.stats.malformed++;
      if (this.sink.malformed) this.sink.malformed(e);
      else throw e;
    }
  }
}

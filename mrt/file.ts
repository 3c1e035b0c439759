/**
 * Reads an MRT file, plain, gzip or bzip2 (told apart by their magic bytes, not the file name), and
 * streams its records through MrtStreamParser.
 *
 * gzip: Node's zlib. bzip2: Debian's `bzip2 -dc` as a child process. The reference implementation in
 * C decompresses on the other core while this one parses; the npm alternatives are pure JavaScript
 * (several times slower on the parsing thread) and unmaintained (unbzip2-stream's last release is
 * from 2020). `bzip2` is in Debian's base system; if it is missing the error says which package.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import type { Readable } from "stream";
import * as zlib from "zlib";
import { MrtError } from "./model";
import { MrtStreamParser, type MrtSink, type MrtStats } from "./stream";

export type Compression = "none" | "gzip" | "bzip2";

export interface MrtFileSummary extends MrtStats {
  file: string;
  compression: Compression;
}

/** A file that cannot be read as MRT: the message names the file and, where known, the byte. */
export class MrtFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "MrtFileError";
  }
}

/** gzip starts 1f 8b (RFC 1952); bzip2 with "BZh" and a block size digit. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (
    head.length >= 4 &&
    head[0] === 0x42 &&
    head[1] === 0x5a &&
    head[2] === 0x68 &&
    head[3] >= 0x31 &&
    head[3] <= 0x39
  ) {
    return "bzip2";
  }
  return "none";
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(4);
    const n = fs.readSync(fd, head, 0, 4, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export interface ReadOptions {
  /** Called with the decompressed bytes read so far, about every `progressBytes`. */
  onProgress?: (bytes: number) => void;
  progressBytes?: number;
}

/** Streams the file's routes into `sink`; rejects with an MrtFileError naming the file and offset. */
export async function readMrtFile(file: string, sink: MrtSink, options: ReadOptions = {}): Promise<MrtFileSummary> {
  let compression: Compression;
  try {
    compression = sniffCompression(readHead(file));
  } catch (e) {
    throw new MrtFileError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const where = compression === "none" ? "" : ` of the ${compression}-decompressed stream`;
  const parser = new MrtStreamParser(sink);
  const every = options.progressBytes ?? 64 * 1024 * 1024;
  let nextProgress = every;
  const feed = async (source: Readable): Promise<void> => {
    for await (const chunk of source) {
      parser.push(chunk as Buffer);
      if (options.onProgress && parser.stats.bytes >= nextProgress) {
        options.onProgress(parser.stats.bytes);
        nextProgress += every;
      }
    }
  };
  try {
    if (compression === "bzip2") await feedBzip2(file, feed);
    else {
      const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
      if (compression === "gzip") {
        const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
        raw.on("error", (e) => gunzip.destroy(e));
        await feed(raw.pipe(gunzip));
      } else {
        await feed(raw);
      }
    }
    const stats = parser.end();
    return { file, compression, ...stats };
  } catch (e) {
    if (e instanceof MrtError) throw new MrtFileError(file, `byte ${e.offset}${where}: ${e.reason}`);
    if (e instanceof MrtFileError) throw e;
    const err = e as NodeJS.ErrnoException;
    const what = compression === "gzip" ? "gzip stream is corrupt or truncated" : "read failed";
    throw new MrtFileError(file, `${what} after byte ${parser.stats.bytes}${where}: ${err.message}`);
  }
}

async function feedBzip2(file: string, feed: (source: Readable) => Promise<void>): Promise<void> {
  const child = spawn("bzip2", ["-dc", "--", file], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.on("error", (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.on("close", (code) => resolve({ code }));
  });
  try {
    await feed(child.stdout);
  } catch (e) {
    child.kill("SIGKILL");
    await exited;
    throw e;
  }
  const { code, error } = await exited;
  if (error) {
    throw new MrtFileError(
      file,
      error.code === "ENOENT" ? "bzip2 is not installed (Debian package bzip2)" : `bzip2: ${error.message}`,
    );
  }
  if (code !== 0) {
    throw new MrtFileError(file, `bzip2 -dc failed (exit ${String(code)}): ${stderr.trim().split("\n").pop() ?? ""}`);
  }
}

/**
 * Files: plain, gzip and bzip2 told apart by their magic bytes and read to the same routes; a
 * truncated or corrupt compressed file, a truncated dump and a missing file each give one error that
 * names the file (and the offset, where there is one).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { MrtFileError, readMrtFile, sniffCompression } from "../../mrt/file";
import type { MrtRoute } from "../../mrt/model";
import { PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6, UPDATE_AS2_ET, UPDATE_AS4 } from "./fixtures";
import { bgpdumpFields } from "./support";

const DUMP = Buffer.concat([PEER_INDEX_TABLE, RIB_IPV4, RIB_IPV6, UPDATE_AS4, UPDATE_AS2_ET]);
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pac-mrt-"));
  fs.writeFileSync(path.join(dir, "dump.mrt"), DUMP);
  fs.writeFileSync(path.join(dir, "dump.gz"), zlib.gzipSync(DUMP));
  // Named without .bz2: the magic bytes decide.
  fs.writeFileSync(path.join(dir, "dump.bin"), execFileSync("bzip2", ["-c"], { input: DUMP }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function routesOf(file: string): Promise<string[]> {
  const routes: MrtRoute[] = [];
  await readMrtFile(file, { route: (r) => routes.push(r) });
  return routes.map(bgpdumpFields);
}

describe("reading MRT files", () => {
  it.each([
    ["dump.mrt", "none"],
    ["dump.gz", "gzip"],
    ["dump.bin", "bzip2"],
  ])("%s (%s) gives every route", async (name, compression) => {
    const file = path.join(dir, name);
    expect(sniffCompression(fs.readFileSync(file).subarray(0, 4))).toBe(compression);
    const summary = await readMrtFile(file, { route: () => undefined });
    expect(summary).toEqual({ file, compression, bytes: DUMP.length, records: 5, routes: 6, skipped: 0, malformed: 0 });
    expect(await routesOf(file)).toEqual([
      "B|192.0.2.10|64510|198.51.100.0/24|64510 64500 {64501,64502}|IGP|192.0.2.1",
      "B|2001:db8::11|64511|2001:db8:1000::/48|64511|INCOMPLETE|2001:db8::11",
      "W|192.0.2.10|64510|203.0.113.0/24",
      "A|192.0.2.10|64510|198.51.100.0/25|64510 64666|IGP|192.0.2.10",
      "W|2001:db8::11|64511|2001:db8:0:99::/64",
      "A|2001:db8::11|64511|2001:db8:1000::/48|64511 65536 64500|IGP|2001:db8::11",
    ]);
  });

  it("reports progress on long inputs", async () => {
    const seen: number[] = [];
    await readMrtFile(
      path.join(dir, "dump.mrt"),
      { route: () => undefined },
      { onProgress: (b) => seen.push(b), progressBytes: 100 },
    );
    expect(seen.length).toBeGreaterThan(0);
  });

  it("a truncated dump names the file, the record's offset and says truncated", async () => {
    const file = path.join(dir, "cut.mrt");
    fs.writeFileSync(file, DUMP.subarray(0, PEER_INDEX_TABLE.length + 30));
    await expect(routesOf(file)).rejects.toThrow(
      `${file}: byte ${PEER_INDEX_TABLE.length}: the record at byte ${PEER_INDEX_TABLE.length} says it is 52 bytes long, but the stream ends after 18: truncated`,
    );
  });

  it("a truncated gzip file says so, and where the decompressed stream stopped", async () => {
    const file = path.join(dir, "cut.gz");
    const gz = zlib.gzipSync(DUMP);
    fs.writeFileSync(file, gz.subarray(0, gz.length - 12));
    await expect(routesOf(file)).rejects.toThrow(
      new RegExp(`^${file}: .*(gzip stream is corrupt or truncated|truncated)`),
    );
  });

  it("an offset inside a compressed file is an offset of the decompressed stream", async () => {
    const file = path.join(dir, "cut-inside.gz");
    fs.writeFileSync(file, zlib.gzipSync(DUMP.subarray(0, PEER_INDEX_TABLE.length + 30)));
    await expect(routesOf(file)).rejects.toThrow(
      `${file}: byte ${PEER_INDEX_TABLE.length} of the gzip-decompressed stream: the record at byte ${PEER_INDEX_TABLE.length} says`,
    );
  });

  it("a corrupt bzip2 file gives bzip2's own complaint", async () => {
    const file = path.join(dir, "bad.bz2");
    const bz = fs.readFileSync(path.join(dir, "dump.bin"));
    fs.writeFileSync(file, Buffer.concat([bz.subarray(0, 20), Buffer.alloc(40, 0x55)]));
    await expect(routesOf(file)).rejects.toThrow(new RegExp(`^${file}: bzip2 -dc failed \\(exit 2\\): .+`));
  });

  it("a missing file", async () => {
    const file = path.join(dir, "nope.mrt");
    await expect(routesOf(file)).rejects.toThrow(new MrtFileError(file, "cannot read: ENOENT"));
  });
});

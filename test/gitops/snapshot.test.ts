/**
 * The machine-readable plan's contract: a reader refuses what is not a snapshot of its version,
 * with a message that says whose it is; secrets are redacted leaf by leaf inside Pulumi's secret
 * markers; a snapshot that would carry a secret value is never written; keys are sorted.
 */
import * as pulumi from "@pulumi/pulumi";
import { assertNoSecret, redactSecrets } from "../../cli/snapshot";
import {
  formatSnapshot,
  parseSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type PlanSnapshot,
} from "../../gitops/snapshot";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

const SNAPSHOT: PlanSnapshot = {
  format: SNAPSHOT_FORMAT,
  version: SNAPSHOT_VERSION,
  stack: "lab",
  problems: [],
  metros: [],
  resources: [],
  configs: {},
  newAllocations: [],
};

describe("reading a snapshot", () => {
  it("reads what formatSnapshot writes, keys sorted", () => {
    const text = formatSnapshot({ ...SNAPSHOT, configs: { "b/x.conf": "b", "a/x.conf": "a" } });
    expect(text.indexOf('"a/x.conf"')).toBeLessThan(text.indexOf('"b/x.conf"'));
    expect(text.endsWith("}\n")).toBe(true);
    expect(parseSnapshot(text, "base main")).toEqual({ ...SNAPSHOT, configs: { "a/x.conf": "a", "b/x.conf": "b" } });
  });

  it.each([
    ["not JSON", "plan: unknown argument", /^base main: the plan is not JSON \(/],
    [
      "another document",
      JSON.stringify({ stack: "lab" }),
      /^base main: not a plan snapshot \(no "format": "peering-as-code\/plan"\)$/,
    ],
    [
      "a newer version",
      JSON.stringify({ ...SNAPSHOT, version: 2 }),
      /^base main: plan snapshot version 2, this code reads version 1$/,
    ],
    [
      "a broken shape",
      JSON.stringify({ ...SNAPSHOT, resources: [{ type: "t" }], configs: { a: 1 } }),
      /^base main: the plan snapshot's resources, configs do not have the expected shape$/,
    ],
  ])("refuses %s", (_what, text, message) => expect(() => parseSnapshot(text, "base main")).toThrow(message));
});

describe("secrets", () => {
  it("hides a secret scalar whole, and inside a secret object only what holds a secret", () => {
    const inputs = {
      name: "x",
      token: secret("s3cr3t"),
      direct: secret({
        connections: [
          { bandwidthInMbps: 200000, bgpSession: { md5AuthenticationKey: "k3y", sessionPrefixV4: "192.0.2.0/31" } },
          { note: "uses k3y here", other: "plain" },
        ],
      }),
    };
    expect(redactSecrets(inputs, ["k3y"])).toEqual({
      name: "x",
      token: "REDACTED",
      direct: {
        connections: [
          {
            bandwidthInMbps: 200000,
            bgpSession: { md5AuthenticationKey: "REDACTED", sessionPrefixV4: "192.0.2.0/31" },
          },
          { note: "REDACTED", other: "plain" },
        ],
      },
    });
  });

  it("refuses to write a snapshot that would carry a secret value", () => {
    expect(() => assertNoSecret('{"x": "a k3y b"}', ["k3y"])).toThrow(
      "internal: the plan snapshot would carry a secret value; nothing was written",
    );
    expect(() => assertNoSecret('{"x": "REDACTED"}', ["k3y", ""])).not.toThrow();
  });
});

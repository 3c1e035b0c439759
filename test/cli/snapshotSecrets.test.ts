/**
 * The machine-readable plan's last guard: the secret values the stack config gives (the lab's MD5
 * key), which a snapshot must never carry, read without Pulumi's runtime.
 */
import { readStackConfig } from "../../cli/declared";
import { declareOffline } from "../../cli/plan";
import { assertNoSecret, secretValuesOf } from "../../cli/snapshot";

describe("secretValuesOf", () => {
  const { plan } = declareOffline("lab");
  const { config } = readStackConfig("lab");

  it("names the MD5 key of every leg that has one, from the stack config", () => {
    expect(secretValuesOf(plan, config)).toEqual(["lab-md5-key-not-secret"]);
  });

  it("lets assertNoSecret refuse a text that carries it", () => {
    const secrets = secretValuesOf(plan, config);
    expect(() => assertNoSecret('{"key": "lab-md5-key-not-secret"}', secrets)).toThrow(/would carry a secret/);
    expect(() => assertNoSecret('{"key": "REDACTED"}', secrets)).not.toThrow();
  });
});

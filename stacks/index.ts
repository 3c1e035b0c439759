/**
 * Entry point of the Pulumi program (Pulumi.yaml `main`). The stack's inventory is
 * `stacks/<stack>/`; its config is `stacks/Pulumi.<stack>.yaml`.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackNotFoundError } from "../load/files";
import { InventoryError } from "../load/problem";
import { definePeeringStack, type StackOutputs } from "./program";

function define(): StackOutputs {
  try {
    return definePeeringStack(pulumi.getStack());
  } catch (e) {
    // A RunError is shown by the CLI as its message alone: the problem list, no stack trace.
    if (e instanceof InventoryError || e instanceof StackNotFoundError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

const stack = define();

/** One row per BGP session (metro, leg, router, addresses). */
export const sessions = stack.sessions;
/** Rendered router configs by `metro/router.ext`; secret where they carry MD5 keys. */
export const configs = stack.configs;
/** The same configs with secrets redacted, for review. */
export const reviewConfigs = stack.reviewConfigs;
/** Azure peering names by metro. */
export const peerings = Object.fromEntries(Object.entries(stack.sp.locations).map(([id, l]) => [id, l.peering.name]));
/** Session prefixes allocated in this run that the lock does not hold yet. */
export const newAllocations = stack.plan.newAllocations;

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
/** Azure peering names by metro (metros whose peering is declared). */
export const peerings = Object.fromEntries(Object.entries(stack.sp.locations).map(([id, l]) => [id, l.peering.name]));
/** Per metro and leg, what Azure reports of the connection: connectionIdentifier, connectionState, session states. */
export const connections = stack.connections;
/** Each registered prefix and origin ASN: its home metro, or what it waits for. */
export const registrations = stack.registrations;
/** The Peering Service prefix key of each registration, to hand to customers (secret: `pulumi stack output --show-secrets prefixKeys`). */
export const prefixKeys = stack.prefixKeys;
/** Lifecycle state of each metro. */
export const metroStates = Object.fromEntries(stack.plan.metros.map((m) => [m.id, m.status]));
/** Allocations (session prefixes, registration homes) made in this run that the lock does not hold yet. */
export const newAllocations = stack.plan.newAllocations;
/** Per router the stack pushes to (stack config `deploy`): the hash of the rendered config its push applies. */
export const pushedConfigs = stack.rollout
  ? Object.fromEntries(Object.entries(stack.rollout.routers).map(([host, r]) => [host, r.hash]))
  : {};

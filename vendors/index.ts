/**
 * Every platform, keyed by its `vendor:` key: the one table the vendor list, the interface checks
 * and the config file names derive from. A test checks that the JSON Schema's `vendor` enum agrees.
 */
import { bird } from "./bird";
import { eos } from "./eos";
import { frr } from "./frr";
import { iosxr } from "./iosxr";
import { junos } from "./junos";
import type { VendorProfile } from "./profile";

export type { InterfaceNameRule, VendorProfile } from "./profile";

/** Router platforms, as the inventory's `vendor:` spells them (and `templates/<vendor>/`). */
export type Vendor = "frr" | "bird" | "iosxr" | "junos" | "eos";

export const VENDOR_PROFILES: Readonly<Record<Vendor, VendorProfile>> = { frr, bird, iosxr, junos, eos };

/** Every vendor, in the table's order. */
export const VENDORS = Object.keys(VENDOR_PROFILES) as readonly Vendor[];

export function isVendor(name: string): name is Vendor {
  return Object.hasOwn(VENDOR_PROFILES, name);
}

/** `ams-edge-2.cfg` */
export function configFileName(hostname: string, vendor: Vendor): string {
  return `${hostname}.${VENDOR_PROFILES[vendor].fileExtension}`;
}

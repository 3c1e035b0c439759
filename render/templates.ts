/**
 * The only I/O of the render stage: read the Handlebars sources from `templates/`.
 *
 *   templates/<vendor>/router.hbs   entry template of the platform
 *   templates/<vendor>/<name>.hbs   its partials, `{{> <name>}}`: every platform has the same ones
 *   templates/_shared/<name>.hbs    partials every platform uses, `{{> _shared/<name>}}`
 */
import * as fs from "fs";
import * as path from "path";
import { isVendor, VENDORS, type Vendor } from "../vendors";

export const DEFAULT_TEMPLATE_DIR = path.resolve(__dirname, "..", "templates");
export const SHARED_DIR = "_shared";
export const ENTRY_TEMPLATE = "router";

/**
 * The partials of every platform, by the part of the config they render, so a reader finds the BGP
 * neighbors of any platform in `templates/<vendor>/bgp.hbs`. A platform that has nothing of its own
 * for a part (BFD configured on the interface or the neighbor) says so in a template comment.
 */
export const PLATFORM_PARTIALS = [
  "interfaces",
  "static",
  "bfd",
  "import-filters",
  "as-path-filters",
  "import-policy",
  "export-policy",
  "bgp",
] as const;

export interface PlatformTemplates {
  /** `router.hbs` */
  entry: string;
  /** Partials by name: `bgp`, `import-policy`, … */
  partials: Record<string, string>;
}

export interface TemplateSources {
  /** Partials of `_shared/` by name (`header`), registered as `_shared/<name>`. */
  shared: Record<string, string>;
  vendors: Record<Vendor, PlatformTemplates>;
}

function readHbsFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".hbs"))
      .map((e) => e.name)
      .sort()
      .map((file) => [file.slice(0, -".hbs".length), fs.readFileSync(path.join(dir, file), "utf8")]),
  );
}

export function loadTemplateSources(dir: string = DEFAULT_TEMPLATE_DIR): TemplateSources {
  if (!fs.existsSync(dir)) throw new Error(`templates: directory ${dir} does not exist`);
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const problems: string[] = [];
  for (const folder of folders) {
    if (folder !== SHARED_DIR && !isVendor(folder))
      problems.push(`${path.join(dir, folder)} is neither a vendor (${VENDORS.join(", ")}) nor ${SHARED_DIR}`);
  }
  const shared = folders.includes(SHARED_DIR) ? readHbsFiles(path.join(dir, SHARED_DIR)) : {};
  const vendors: Partial<Record<Vendor, PlatformTemplates>> = {};
  for (const vendor of VENDORS) {
    const files = folders.includes(vendor) ? readHbsFiles(path.join(dir, vendor)) : {};
    const { [ENTRY_TEMPLATE]: entry, ...partials } = files;
    if (entry === undefined) {
      problems.push(`no ${vendor}/${ENTRY_TEMPLATE}.hbs`);
      continue;
    }
    const missing = PLATFORM_PARTIALS.filter((p) => partials[p] === undefined);
    const extra = Object.keys(partials).filter((p) => !(PLATFORM_PARTIALS as readonly string[]).includes(p));
    if (missing.length + extra.length > 0) {
      problems.push(
        `${vendor}/ must hold ${ENTRY_TEMPLATE}.hbs and the partials every platform has (${PLATFORM_PARTIALS.join(", ")})` +
          `${missing.length > 0 ? `; missing ${missing.map((p) => `${p}.hbs`).join(", ")}` : ""}` +
          `${extra.length > 0 ? `; not a platform partial: ${extra.map((p) => `${p}.hbs`).join(", ")}` : ""}`,
      );
    }
    vendors[vendor] = { entry, partials };
  }
  if (problems.length > 0) throw new Error(`templates (${dir}): ${problems.join("; ")}`);
  return { shared, vendors: vendors as Record<Vendor, PlatformTemplates> };
}

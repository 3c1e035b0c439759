/**
 * The only I/O of the render stage: read the Handlebars sources from `templates/`.
 *
 *   templates/<vendor>/router.hbs   entry template of the vendor
 *   templates/<vendor>/<name>.hbs   partial, used as `{{> <vendor>/<name>}}`
 *   templates/_shared/<name>.hbs    partial shared by all vendors, `{{> _shared/<name>}}`
 */
import * as fs from "fs";
import * as path from "path";
import { isVendor, VENDORS, type Vendor } from "../vendors";

export const DEFAULT_TEMPLATE_DIR = path.resolve(__dirname, "..", "templates");
export const SHARED_DIR = "_shared";
export const ENTRY_TEMPLATE = "router";

export interface TemplateSources {
  /** Entry template (`router.hbs`) of every vendor. */
  entries: Record<Vendor, string>;
  /** Partials by name: `frr/bgp`, `iosxr/policies`, `_shared/header`. */
  partials: Record<string, string>;
}

function readHbsFiles(dir: string): Array<{ name: string; source: string }> {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".hbs"))
    .map((e) => e.name)
    .sort()
    .map((file) => ({ name: file.slice(0, -".hbs".length), source: fs.readFileSync(path.join(dir, file), "utf8") }));
}

export function loadTemplateSources(dir: string = DEFAULT_TEMPLATE_DIR): TemplateSources {
  if (!fs.existsSync(dir)) throw new Error(`templates: directory ${dir} does not exist`);
  const partials: Record<string, string> = {};
  const entries: Partial<Record<Vendor, string>> = {};
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const folder of folders) {
    if (folder !== SHARED_DIR && !isVendor(folder)) {
      throw new Error(`templates: ${path.join(dir, folder)} is neither a vendor (${VENDORS.join(", ")}) nor ${SHARED_DIR}`);
    }
    for (const { name, source } of readHbsFiles(path.join(dir, folder))) {
      if (isVendor(folder) && name === ENTRY_TEMPLATE) entries[folder] = source;
      else partials[`${folder}/${name}`] = source;
    }
  }
  const missing = VENDORS.filter((v) => entries[v] === undefined);
  if (missing.length > 0) {
    throw new Error(`templates: no ${missing.map((v) => `${v}/${ENTRY_TEMPLATE}.hbs`).join(", ")} in ${dir}`);
  }
  return { entries: entries as Record<Vendor, string>, partials };
}

// Compile Engage's Sass and copy the GOV.UK Frontend assets it needs into engage/static.
// The output is committed, so running the app never needs Node.js.
import * as sass from "sass";
import { cpSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(here, "..", "engage", "static");

mkdirSync(join(out, "css"), { recursive: true });
const result = sass.compile(join(here, "scss", "engage.scss"), {
  style: "compressed",
  loadPaths: [join(here, "node_modules")],
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "css", "engage.css"), result.css);

// Images only: no GDS Transport fonts and no crown are shipped.
rmSync(join(out, "images"), { recursive: true, force: true });
mkdirSync(join(out, "images"), { recursive: true });
for (const name of ["favicon.ico", "favicon.svg"]) {
  cpSync(join(govuk, "assets", "images", name), join(out, "images", name));
}
mkdirSync(join(out, "js"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
const version = JSON.parse(readFileSync(join(here, "node_modules", "govuk-frontend", "package.json"))).version;
writeFileSync(join(out, "GOVUK_FRONTEND_VERSION"), version + "\n");
console.log(`Built engage/static with govuk-frontend ${version}`);

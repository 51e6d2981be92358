// Build dist/sparkads-feed.js (one minified ES module, no runtime dependency) and its type
// declarations, copy it to the web app's static files, and state its size.
// `node build.mjs --check` fails if the web app's copy is not this exact build.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist", "sparkads-feed.js");
const served = join(here, "..", "..", "src", "sparkads", "web", "static", "sparkads-feed.js");
const LIMIT_GZIP = 10 * 1024;

mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: [join(here, "src", "index.ts")],
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none",
  banner: { js: "// @sparkads/feed " + JSON.parse(readFileSync(join(here, "package.json"), "utf8")).version + " (MIT)" },
  outfile: out,
});
execFileSync(join(here, "node_modules", ".bin", "tsc"), ["-p", join(here, "tsconfig.build.json")], { stdio: "inherit" });

const built = readFileSync(out);
const gzipped = gzipSync(built, { level: 9 }).length;
console.log(`@sparkads/feed: ${built.length} bytes, ${gzipped} bytes gzipped (limit ${LIMIT_GZIP})`);
if (gzipped > LIMIT_GZIP) {
  console.error(`dist/sparkads-feed.js is over ${LIMIT_GZIP} bytes gzipped`);
  process.exit(1);
}
if (process.argv.includes("--check")) {
  let current = null;
  try {
    current = readFileSync(served);
  } catch {}
  if (current === null || !current.equals(built)) {
    console.error("src/sparkads/web/static/sparkads-feed.js is not the current build: run `npm run build` in packages/feed and commit it");
    process.exit(1);
  }
  console.log("the web app serves this build");
} else {
  copyFileSync(out, served);
  console.log("copied to src/sparkads/web/static/sparkads-feed.js");
}

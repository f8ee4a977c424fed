/**
 * examples/browser bundled with Vite against the built packages (after `npm run build`) and run
 * in headless Chromium: the page imports XML and runs it, script sandbox included, with the
 * portable packages only (nothing from Node may end up in the bundle).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const example = join(root, "examples/browser");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The part of Vite's JS API this test uses. */
interface ViteApi {
  build(config: {
    root: string;
    configFile: false;
    logLevel: "silent";
    customLogger: { info(m: string): void; warn(m: string): void; warnOnce(m: string): void; error(m: string): void; clearScreen(): void; hasErrorLogged(): boolean; hasWarned: boolean };
    build: { outDir: string; emptyOutDir: boolean; target: string };
  }): Promise<unknown>;
}

/** Vite is installed as vitest's dependency; find it wherever npm placed it. */
async function loadVite(): Promise<ViteApi> {
  const dir = ["node_modules/vite", "node_modules/vitest/node_modules/vite"].map((d) => join(root, d)).find((d) => existsSync(join(d, "package.json")));
  if (dir === undefined) throw new Error("vite is not installed (it comes with vitest)");
  const dot = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports: { ".": string | { import: string | { default: string } } } }).exports["."];
  const entry = typeof dot === "string" ? dot : typeof dot.import === "string" ? dot.import : dot.import.default;
  return (await import(pathToFileURL(join(dir, entry)).href)) as ViteApi;
}

const types: Readonly<Record<string, string>> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** Serves a folder on 127.0.0.1 (a module page does not load from file://). */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).replace(/\/$/, "/index.html")));
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let out = "";
let server: Server | undefined;
const warnings: string[] = [];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "taskseq-browser-example-"));
  const note = (m: string): void => void warnings.push(m);
  const { build } = await loadVite();
  await build({
    root: example,
    configFile: false,
    logLevel: "silent",
    customLogger: { info: () => undefined, warn: note, warnOnce: note, error: note, clearScreen: () => undefined, hasErrorLogged: () => false, hasWarned: false },
    build: { outDir: out, emptyOutDir: true, target: "es2022" },
  });
  server = await serve(out);
});

afterAll(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  if (out !== "") rmSync(out, { recursive: true, force: true });
});

describe("browser example", () => {
  it("bundles without Node built-ins", () => {
    expect(warnings.filter((w) => /externalized for browser compatibility|node:/i.test(w))).toEqual([]);
    const bundles = readdirSync(join(out, "assets")).filter((f) => f.endsWith(".js"));
    expect(bundles.length).toBeGreaterThan(0);
    for (const file of bundles) expect(readFileSync(join(out, "assets", file), "utf8")).not.toMatch(/(?:from|import\(|require\()\s*["']node:/);
  });

  it("runs the sequence in headless Chromium and shows the result", async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const { port } = server?.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => document.getElementById("status")?.textContent !== "running…", undefined, { timeout: 60_000 });
      expect(await page.textContent("#status")).toBe("success");
      const rows = await page.$$eval("#steps tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
      expect(rows).toEqual([
        ["Set the site", "success", "0"],
        ["Echo the site", "success", "0"],
        ["Script in the sandbox", "success", "0"],
      ]);
      expect(await page.textContent("#variables")).toMatch(/^Site=Contoso\nGreeting=Hello Contoso from \S/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

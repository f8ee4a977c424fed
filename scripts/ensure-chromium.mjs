// Makes sure Debian's Chromium is present for the browser tests (HTML report, browser example).
// Installs it with apt-get when missing and running as root; otherwise explains what to do.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const binary = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (existsSync(binary)) process.exit(0);
if (process.getuid?.() !== 0) {
  console.error(`Chromium not found at ${binary}. Install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
console.log("Installing Debian's chromium for the browser tests...");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });

import { packageBuild } from "../../tsup.package.js";

// The worker entry of createWorkerScriptRunner is its own file next to index.js (shims give the CJS build import.meta.url).
export default packageBuild({ entries: ["src/worker-script-runner-entry.ts"], shims: true });

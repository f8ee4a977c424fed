/** Runs one script in a worker runner and never closes it: the process must still exit. */
import { createWorkerScriptRunner } from "@taskseq/node";

const runner = createWorkerScriptRunner();
const r = await runner.run({ language: "javascript", source: "console.log(6 * 7)" });
console.log(r.value?.output ?? r.error?.code);
